-- One row per (candidate, ROME item held).
with profiles as (
    select candidate_id, skill_codes from {{ ref('stg_candidates__profiles') }}
    where skill_codes is not null
),

unnested as (
    select distinct candidate_id, cast(unnest(string_split(skill_codes, ';')) as bigint) as skill_code
    from profiles
)

select * from unnested
