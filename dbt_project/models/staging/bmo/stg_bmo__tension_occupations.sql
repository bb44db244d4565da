with source as (
    select * from {{ source('bmo', 'metiers_en_tension') }}
),

renamed as (
    select
        region as region_name,
        region = 'France Entière' as is_national_list,
        code_fap as fap2009_code,
        -- The file separates enumerations with ';' where FAP labels use ','; runs of spaces occur.
        trim(regexp_replace(famille_professionnelle, '\s+', ' ', 'g')) as fap2009_label,
        trim(regexp_replace(lower(strip_accents(famille_professionnelle)), '[^a-z0-9]+', ' ', 'g'))
            as fap2009_label_normalized,
        trim(regexp_replace(lower(strip_accents(region)), '[^a-z0-9]+', ' ', 'g')) as region_name_normalized,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
