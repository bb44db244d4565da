-- One row per value the build set aside while keeping its record: a well-formed code that the
-- referential it points to does not hold. The record stays in its mart and in every count; only
-- the joins on that code skip it. Today: job offers whose ROME code is not a ROME fiche
-- (job_postings.rome_code NULL, source_rome_code keeps it) and whose commune code is not a
-- commune of the COG, former communes and arrondissements included (job_postings.commune_code
-- NULL, source_commune_code keeps it; the offer is placed by its label when it can be).
with postings as (
    select * from {{ ref('int_job_postings_located') }}
),

unknown_occupations as (
    select
        posting_id as record_id,
        'rome_code' as field,
        source_rome_code as value,
        'unknown_to_rome' as reason,
        'not a fiche of the ROME referential: posting kept, job_postings.rome_code NULL, '
        || 'counted in no occupation (occupation_demand, matches by occupation)' as consequence,
        _source_file,
        _row_number
    from postings
    where occupation_code_status = 'unknown_to_rome'
),

unknown_communes as (
    select
        posting_id as record_id,
        'lieu_travail_commune' as field,
        commune_code as value,
        'unknown_to_cog' as reason,
        'not a commune of the COG 2024 (former communes included): posting kept, '
        || 'job_postings.commune_code NULL, located by ' || location_match as consequence,
        _source_file,
        _row_number
    from postings
    where commune_code is not null and resolved_commune_code is null
),

set_aside as (
    select * from unknown_occupations
    union all
    select * from unknown_communes
)

select
    'france_travail' as source,
    'job_offers' as table_name,
    record_id,
    field,
    value,
    reason,
    consequence,
    _source_file as source_file,
    _row_number as source_row_number
from set_aside
