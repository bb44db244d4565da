with source as (
    select * from {{ source('kit_apprentissage', 'cfd_rncp_2025') }}
),

renamed as (
    select
        code_diplome as diploma_code,
        intitule_diplome_depp as diploma_title,
        {{ normalise_rncp_code('fiche_rncp') }} as rncp_code,
        try_cast(replace(niveau_fiche_rncp, 'Niveau ', '') as integer) as eu_level,
        abrege_de_diplome_rncp as diploma_abbreviation,
        derniere_maj as kit_version,
        case acces_a_l_apprentissage_de_la_fiche_rncp_oui_non when 'Oui' then true when 'Non' then false end
            as is_apprenticeship_open,
        date_d_echeance_de_la_fiche_rncp as rncp_expiry_date,
        case fiche_active_inactive when 'ACTIVE' then true when 'INACTIVE' then false end as is_rncp_active,
        intitule_certification_rncp as rncp_title,
        type_d_enregistrement as registration_type,
        date_de_publication_de_la_fiche_enregistrement_de_droit as published_on,
        date_de_decision_enregistrement_sur_demande as decided_on,
        date_de_debut_des_parcours_certifiants_enregistrement_de_droit as pathways_start_on,
        date_limite_de_la_delivrance as award_deadline,
        {{ normalise_rncp_code('nouvelle_certification_rempla_rncp') }} as next_rncp_code,
        {{ normalise_rncp_code('ancienne_certification_rncp') }} as previous_rncp_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
