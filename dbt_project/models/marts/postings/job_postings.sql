-- One row per France Travail offer id: its latest version, placed in the territories of France,
-- near duplicates flagged (duplicate_of), with the occupation inferred from its words kept apart
-- from the recruiter's. A ROME code unknown to the referential is set aside (rome_code NULL,
-- source_rome_code as published: int_job_postings_occupations_checked). Texts are in
-- posting_texts, skills in posting_skills.
with postings as (
    select * from {{ ref('int_job_postings_duplicates_flagged') }}
),

inferred as (
    select posting_id, inferred_rome_code, inferred_rome_confidence
    from {{ ref('stg_matching__inferred_posting_occupations') }}
)

select
    posting_id,
    created_at,
    updated_at,
    title,
    rome_code,
    source_rome_code,
    occupation_code_status,
    inferred.inferred_rome_code,
    inferred.inferred_rome_confidence,
    rome_label,
    appellation,
    contract_type,
    contract_type_label,
    experience_required,
    experience_label,
    is_work_study,
    positions,
    qualification_code,
    working_hours_label,
    salary_label,
    resolved_commune_code as commune_code,
    commune_code as source_commune_code,
    workplace_label,
    located_departement_code as departement_code,
    located_region_code as region_code,
    commune_zone_emploi_code as zone_emploi_code,
    commune_bassin_bmo_code as bassin_bmo_code,
    location_match,
    company_name,
    naf_code,
    sector_label,
    latitude,
    longitude,
    is_short_of_candidates,
    is_open_to_disabled_workers,
    duplicate_of,
    coalesce(located_region_code = '{{ var("region_code") }}', false) as is_in_region,
    versions_seen,
    _source_file as source_file,
    _ingested_at as ingested_at
from postings
left join inferred using (posting_id)
