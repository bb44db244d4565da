-- One row per (posting, skill) read from the posting's text: origin 'extracted', with the
-- extractor's score and evidence sentence. Requirement is unknown from text: 'wished' weight.
with extracted as (
    select * from {{ ref('stg_matching__extracted_posting_skills') }}
),

shaped as (
    select
        posting_id,
        skill_code,
        'extracted' as origin,
        cast(null as varchar) as requirement,
        cast(null as varchar) as requirement_code,
        score,
        evidence
    from extracted
)

select * from shaped
