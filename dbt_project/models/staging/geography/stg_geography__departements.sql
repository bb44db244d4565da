with source as (
    select * from {{ source('geography', 'departements') }}
),

renamed as (
    select
        dep as departement_code,
        libelle as name,
        reg as region_code,
        cheflieu as prefecture_commune_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
