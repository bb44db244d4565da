with source as (
    select * from {{ source('geography', 'regions') }}
),

renamed as (
    select
        reg as region_code,
        libelle as name,
        cheflieu as prefecture_commune_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
