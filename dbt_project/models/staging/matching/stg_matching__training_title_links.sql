with source as (
    select * from {{ source('matching', 'training_title_links') }}
),

renamed as (
    select
        training_id,
        rome_code,
        parent_rome_code,
        cast(similarity as double) as similarity,
        cast(rank as integer) as link_rank,
        _ingested_at
    from source
)

select * from renamed
