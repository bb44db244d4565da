-- One row per France Travail offer id: its latest version, placed in the territories of France,
-- near duplicates flagged (duplicate_of), with the occupation inferred from its words kept apart
-- from the recruiter's. A ROME code unknown to the referential is set aside (rome_code NULL,
-- source_rome_code as published: int_job_postings_occupations_checked). Texts are in
-- posting_texts, skills in posting_skills.
--
-- Incremental (delete+insert on posting_id): a build rewrites only the postings whose row would
-- change, found by comparing, posting by posting, what decides a row apart from the kept raw
-- version's own fields (that version's identity: source file, landing instant, versions seen;
-- and every column read from another table: ROME check, places, duplicate_of, inferred
-- occupation) with what this table holds. The comparison reads a few narrow columns of every
-- posting; the wide rows are built for the changed postings only. Postings no longer upstream
-- are deleted (post-hook). A full refresh gives the same rows (tests/e2e/test_incremental_nights.py).
{{
    config(
        materialized='incremental',
        unique_key='posting_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="delete from {{ this }} where posting_id not in (select posting_id from {{ ref('int_job_postings_duplicates_flagged') }})"
    )
}}

with postings as (
    select * from {{ ref('int_job_postings_duplicates_flagged') }}
),

inferred as (
    select posting_id, inferred_rome_code, inferred_rome_confidence
    from {{ ref('stg_matching__inferred_posting_occupations') }}
){% if is_incremental() %},

-- The postings whose row differs from the stored one: a new or re-read version (another source
-- file or landing instant, another count of versions), or a change in what other tables give it.
changed as (
    select posting_id
    from (
        select
            posting_id,
            _source_file as source_file,
            _ingested_at as ingested_at,
            versions_seen,
            rome_code,
            occupation_code_status,
            resolved_commune_code as commune_code,
            located_departement_code as departement_code,
            located_region_code as region_code,
            commune_zone_emploi_code as zone_emploi_code,
            commune_bassin_bmo_code as bassin_bmo_code,
            location_match,
            duplicate_of,
            coalesce(located_region_code = '{{ var("region_code") }}', false) as is_in_region,
            inferred.inferred_rome_code,
            inferred.inferred_rome_confidence
        -- the table itself, not the CTE postings: DuckDB may materialise a CTE read twice, whole
        from {{ ref('int_job_postings_duplicates_flagged') }}
        left join inferred using (posting_id)
        except
        select
            posting_id,
            source_file,
            ingested_at,
            versions_seen,
            rome_code,
            occupation_code_status,
            commune_code,
            departement_code,
            region_code,
            zone_emploi_code,
            bassin_bmo_code,
            location_match,
            duplicate_of,
            is_in_region,
            inferred_rome_code,
            inferred_rome_confidence
        from {{ this }}
    )
){% endif %}

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
{% if is_incremental() %}
    where posting_id in (select posting_id from changed)
{% endif %}
