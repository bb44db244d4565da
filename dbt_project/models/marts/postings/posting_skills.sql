-- One row per (posting, skill, origin): the union of one intermediate model per origin.
-- 'structured' rows come from the offers' own competences lists; the text-extraction work adds
-- an int_posting_skills_extracted model (origin 'extracted', with score and evidence) here.
with structured as (
    select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
    from {{ ref('int_posting_skills_structured') }}
)

select * from structured
