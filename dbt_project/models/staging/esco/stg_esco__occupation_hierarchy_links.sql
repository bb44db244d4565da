with source as (
    select * from {{ source('esco', 'occupation_hierarchy') }}
),

renamed as (
    select
        concept_uri,
        concept_type,
        broader_uri,
        broader_type,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
