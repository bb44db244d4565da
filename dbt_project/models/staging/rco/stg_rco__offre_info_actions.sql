with source as (
    select * from {{ source('rco', 'offre_info_actions') }}
),

renamed as (
    select
        numero_af as action_id,
        numero_fo as formation_id,
        identifiant_session as session_id,
        {{ pad_code('code_region', 2) }} as region_code,
        intitule_region as region_label,
        nom_formation as title,
        code_certifinfo as certifinfo_code,
        diplome_ou_titre_vise as diploma_type_label,
        trim(intitule_diplome) as diploma_title,
        {{ pad_code('code_scolarite', 8) }} as diploma_code,
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        code_niveau_en as education_level_code,
        nom_niveau_en as education_level_label,
        try_cast(code_niveau_europeen as integer) as eu_level,
        nom_niveau_europeen as eu_level_label,
        cfa_responsable_nom as provider_name,
        cfa_raison_sociale as provider_legal_name,
        cfa_siret as provider_siret,
        formateur_siret as trainer_siret,
        formateur_raison_sociale as trainer_name,
        modalites_entrees_sorties = '1' as is_open_entry,
        periodes_entree as entry_periods,
        uai_lieu_formation as place_uai,
        {{ pad_code('code_postal_lieu', 5) }} as place_postal_code,
        {{ pad_code('code_insee_lieu', 5) }} as place_commune_code,
        try_cast(capacite_accueil as integer) as capacity,
        nombre_heures_total as total_hours,
        cas as match_case,
        cas_libelle as match_case_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
