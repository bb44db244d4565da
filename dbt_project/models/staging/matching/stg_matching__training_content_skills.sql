with source as (
    select * from {{ source('matching', 'training_content_skills') }}
),

renamed as (
    select
        training_id,
        cast(skill_code as bigint) as skill_code,
        cast(coverage as double) as coverage,
        nullif(evidence, '') as evidence,
        _ingested_at
    from source
)

select * from renamed
