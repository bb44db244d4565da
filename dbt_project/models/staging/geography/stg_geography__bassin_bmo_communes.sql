-- The publisher's file lost the leading zero of départements 01-09 in reg, dep and codgeo
-- ('8', '8105' for 08, 08105): padded back here. Corsican codes (2A, 2B) are already 5 long.
with source as (
    select * from {{ source('geography', 'bassins_bmo') }}
),

renamed as (
    select
        lpad(codgeo, 5, '0') as commune_code,
        codbe as bassin_bmo_code,
        libbe as bassin_bmo_name,
        lpad(dep, 2, '0') as departement_code,
        lpad(reg, 2, '0') as region_code,
        codgeo as published_commune_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
