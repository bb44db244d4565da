-- Each kept offer placed in the territories of France. Rule, by order of precedence:
-- 1. lieuTravail.commune, through int_communes_resolved (former communes and arrondissements
--    included), gives commune, département, région, zone d'emploi and BMO bassin;
-- 2. otherwise the département read from the "67 - STRASBOURG" style label (staging's
--    workplace_departement_code) gives département and région, no zone nor bassin;
-- 3. otherwise a label that is a région's name ("Hauts-de-France") gives the région only.
-- "France" and foreign places ("Luxembourg (Frontalier)") stay unplaced.
with postings as (
    select * from {{ ref('int_job_postings_occupations_checked') }}
),

resolved as (
    select * from {{ ref('int_communes_resolved') }}
),

communes as (
    select * from {{ ref('territories') }}
    where territory_level = 'commune'
),

departements as (
    select * from {{ ref('territories') }}
    where territory_level = 'departement'
),

regions as (
    select
        territory_code as region_code,
        {{ normalize_label('name') }} as name_normalized
    from {{ ref('territories') }}
    where territory_level = 'region'
),

placed as (
    select
        postings.*,
        communes.territory_code as resolved_commune_code,
        communes.departement_code as commune_departement_code,
        communes.region_code as commune_region_code,
        communes.zone_emploi_code as commune_zone_emploi_code,
        communes.bassin_bmo_code as commune_bassin_bmo_code,
        departements.territory_code as label_departement_code,
        departements.region_code as label_departement_region_code,
        regions.region_code as label_region_code
    from postings
    left join resolved
        on postings.commune_code = resolved.commune_code_seen
    left join communes
        on resolved.commune_code = communes.territory_code
    left join departements
        on postings.workplace_departement_code = departements.territory_code
    left join regions
        on {{ normalize_label('postings.workplace_label') }} = regions.name_normalized
)

select
    placed.*,
    case
        when resolved_commune_code is not null then 'commune'
        when label_departement_code is not null then 'departement_label'
        when label_region_code is not null then 'region_label'
        else 'unplaced'
    end as location_match,
    coalesce(commune_departement_code, label_departement_code) as located_departement_code,
    coalesce(commune_region_code, label_departement_region_code, label_region_code) as located_region_code
from placed
