-- One row per (posting, skill, origin): the union of one intermediate model per origin.
-- 'structured' rows come from the offers' own competences lists; 'extracted' rows are read from
-- the posting's text by matching.extract (with score and evidence).
with structured as (
    select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
    from {{ ref('int_posting_skills_structured') }}
),

extracted as (
    select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
    from {{ ref('int_posting_skills_extracted') }}
),

unioned as (
    select * from structured
    union all
    select * from extracted
)

select * from unioned
