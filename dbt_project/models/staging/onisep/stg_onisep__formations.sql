with source as (
    select * from {{ source('onisep', 'formations_initiales') }}
),

renamed as (
    select
        regexp_extract(lien_site_onisep_fr, 'FOR\.[0-9]+') as onisep_formation_id,
        code_cnis as cnis_code,
        sigle_type_formation as formation_type_abbreviation,
        libelle_type_formation as formation_type,
        libelle_formation_principal as title,
        sigle_formation as abbreviation,
        duree as duration_label,
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        niveau_rncp as rncp_level,
        libelle_niveau_rncp as rncp_level_label,
        tutelle as supervising_body,
        lien_site_onisep_fr as onisep_url,
        domaine_sous_domaine as domains,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
