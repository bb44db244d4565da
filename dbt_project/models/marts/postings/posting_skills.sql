-- One row per (posting, skill, origin): the union of one intermediate model per origin.
-- 'structured' rows come from the offers' own competences lists; 'text' rows are named by a span
-- of the posting's title or description (the span is the evidence); 'occupation_prior' rows are
-- typical of the posting's occupation with no span (matching.extract, with score).
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
