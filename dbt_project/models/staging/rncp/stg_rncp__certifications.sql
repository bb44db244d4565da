with source as (
    select * from {{ source('rncp', 'fiches') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        id_fiche as fiche_id,
        starts_with(numero_fiche, 'RS') as is_specific_register,
        intitule as title,
        abrege_libelle as abbreviation,
        abrege_intitule as abbreviation_label,
        try_cast(replace(nomenclature_europe_niveau, 'NIV', '') as integer) as eu_level,
        nomenclature_europe_intitule as eu_level_label,
        accessible_nouvelle_caledonie as is_open_in_new_caledonia,
        accessible_polynesie_francaise as is_open_in_french_polynesia,
        cast(date_dernier_jo as date) as last_official_journal_on,
        cast(date_decision as date) as decided_on,
        cast(date_fin_enregistrement as date) as registration_end_date,
        cast(date_effet as date) as effective_on,
        type_enregistrement as registration_type,
        validation_partielle as is_partial_validation,
        actif = 'ACTIVE' as is_active,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
