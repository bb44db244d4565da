with source as (
    select * from {{ source('lheo', 'formations') }}
),

renamed as (
    select
        formation_numero as formation_id,
        {{ lheo_date('date_creation') }} as created_on,
        {{ lheo_date('date_maj') }} as updated_on,
        intitule_formation as title,
        objectif_formation as objective,
        resultats_attendus as expected_results,
        contenu_formation as content,
        certifiante as is_certifying,
        code_niveau_entree as entry_level_code,
        code_niveau_sortie as exit_level_code,
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        code_certifinfo as certifinfo_code,
        organisme_numero as provider_id,
        organisme_siret as provider_siret,
        nom_organisme as provider_name,
        raison_sociale as provider_legal_name,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
