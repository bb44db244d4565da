with source as (
    select * from {{ source('geography', 'regions') }}
),

renamed as (
    select
        reg as region_code,
        libelle as name,
        cheflieu as prefecture_commune_code,
        -- Lowercase ASCII words, to match région names written without accents elsewhere.
        trim(regexp_replace(lower(strip_accents(libelle)), '[^a-z0-9]+', ' ', 'g')) as name_normalized,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
