with source as (
    select * from {{ source('kit_apprentissage', 'rncp_rome') }}
),

renamed as (
    select
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        upper(trim(code_rome)) as rome_code,
        replace(libelle_rome, '''''', '''') as rome_label,
        regexp_full_match(upper(trim(code_rome)), '[A-N][0-9]{4}') as is_well_formed_rome_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
