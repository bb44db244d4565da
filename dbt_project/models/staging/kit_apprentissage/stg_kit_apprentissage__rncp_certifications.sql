with source as (
    select * from {{ source('kit_apprentissage', 'rncp_info') }}
),

renamed as (
    select
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        intitule_diplome as title,
        date_fin_validite_enregistrement as registration_end_date,
        active_inactive = 'ACTIVE' as is_active,
        etat_fiche as fiche_state,
        try_cast(replace(niveau_europe, 'niveau', '') as integer) as eu_level,
        code_type_certif as certification_type_code,
        type_certif as certification_type,
        {{ normalise_rncp_code('ancienne_fiche') }} as previous_rncp_code,
        {{ normalise_rncp_code('nouvelle_fiche') }} as next_rncp_code,
        type_enregistrement as registration_type,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
