-- One row per (candidate, sought ROME code).
with profiles as (
    select candidate_id, sought_rome_codes from {{ ref('stg_candidates__profiles') }}
),

unnested as (
    select distinct candidate_id, unnest(string_split(sought_rome_codes, ';')) as rome_code
    from profiles
)

select * from unnested
