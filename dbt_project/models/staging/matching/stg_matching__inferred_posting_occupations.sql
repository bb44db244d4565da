with source as (
    select * from {{ source('matching', 'inferred_posting_occupations') }}
),

renamed as (
    select
        posting_id,
        inferred_rome_code,
        cast(inferred_rome_confidence as double) as inferred_rome_confidence,
        _ingested_at
    from source
)

select * from renamed
