with source as (
    select * from {{ source('geography', 'zones_emploi') }}
),

renamed as (
    select
        codgeo as commune_code,
        libgeo as commune_name,
        codze2020 as zone_emploi_code,
        libze2020 as zone_emploi_name,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
