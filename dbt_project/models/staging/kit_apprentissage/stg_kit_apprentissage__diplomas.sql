with source as (
    select * from {{ source('kit_apprentissage', 'codes_diplomes') }}
),

renamed as (
    select
        {{ pad_code('code_diplome', 8) }} as diploma_code,
        intitule as diploma_title,
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        try_cast(replace(niveau_2019, 'niveau', '') as integer) as eu_level,
        type as diploma_type,
        derniere_maj as kit_version,
        fiche_rncp_active_inactive = 'ACTIVE' as is_rncp_active,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
