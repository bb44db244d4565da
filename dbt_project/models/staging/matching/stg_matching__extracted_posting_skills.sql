with source as (
    select * from {{ source('matching', 'extracted_posting_skills') }}
),

renamed as (
    select
        posting_id,
        cast(skill_code as bigint) as skill_code,
        origin,
        score,
        nullif(evidence, '') as evidence,
        _ingested_at
    from source
)

select * from renamed
