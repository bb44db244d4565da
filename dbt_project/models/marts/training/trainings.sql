-- One row per training action of every bundled catalogue, with its place (COG 2024), certification,
-- Formacode, level and dates. See _training__models.yml for the grain of each source.
with trainings as (
    select * from {{ ref('int_training_titles_repaired') }}
)

select
    training_id,
    source,
    title,
    title_origin,
    title_repair,
    provider_name,
    provider_siret,
    establishment_uai,
    commune_code,
    commune_name,
    departement_code,
    region_code,
    coalesce(region_code = '{{ var("region_code") }}', false) as is_in_region,
    place_commune_code_seen,
    place_match,
    postal_code,
    latitude,
    longitude,
    rncp_code,
    rncp_origin,
    diploma_code,
    certifinfo_code,
    formacode,
    eu_level,
    start_date,
    end_date,
    total_hours,
    is_published,
    description,
    _source_file,
    _row_number
from trainings
