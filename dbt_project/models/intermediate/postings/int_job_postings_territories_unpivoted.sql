-- One row per (counted posting, territory level, territory code) for the four levels demand is
-- reported at. Near duplicates are left out here, so every count built on this model excludes
-- them. A posting placed only by département has no zone d'emploi nor bassin rows.
with postings as (
    select
        posting_id,
        rome_code,
        date_trunc('month', created_at) as month_start,
        located_region_code as region_code,
        located_departement_code as departement_code,
        commune_zone_emploi_code as zone_emploi_code,
        commune_bassin_bmo_code as bassin_bmo_code
    from {{ ref('int_job_postings_duplicates_flagged') }}
    where duplicate_of is null
),

levels as (
    select posting_id, rome_code, month_start, 'region' as territory_level, region_code as territory_code
    from postings where region_code is not null
    union all
    select posting_id, rome_code, month_start, 'departement', departement_code
    from postings where departement_code is not null
    union all
    select posting_id, rome_code, month_start, 'zone_emploi', zone_emploi_code
    from postings where zone_emploi_code is not null
    union all
    select posting_id, rome_code, month_start, 'bassin_bmo', bassin_bmo_code
    from postings where bassin_bmo_code is not null
)

select
    posting_id,
    rome_code,
    cast(month_start as date) as month,
    territory_level,
    territory_code
from levels
