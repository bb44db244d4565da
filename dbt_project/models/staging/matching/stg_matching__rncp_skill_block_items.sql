with source as (
    select * from {{ source('matching', 'rncp_skill_block_items') }}
),

renamed as (
    select
        skill_block_code,
        rncp_code,
        cast(skill_code as bigint) as skill_code,
        cast(coverage as double) as coverage,
        nullif(evidence, '') as evidence,
        _ingested_at
    from source
)

select * from renamed
