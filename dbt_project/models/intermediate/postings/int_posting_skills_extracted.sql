-- One row per (posting, skill) from the skill extractor, with its origin: 'text' (a span of the
-- title or description names the skill; the span is the evidence) or 'occupation_prior' (typical
-- of the posting's occupation, no span, evidence NULL). Requirement is unknown from either.
with extracted as (
    select * from {{ ref('stg_matching__extracted_posting_skills') }}
),

shaped as (
    select
        posting_id,
        skill_code,
        origin,
        cast(null as varchar) as requirement,
        cast(null as varchar) as requirement_code,
        score,
        evidence
    from extracted
)

select * from shaped
