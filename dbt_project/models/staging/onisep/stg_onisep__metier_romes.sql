with source as (
    select * from {{ source('onisep', 'metier_rome') }}
),

renamed as (
    select
        regexp_extract(lien_site_onisep_fr, 'MET\.[0-9]+') as onisep_metier_id,
        libelle_metier_onisep as metier_label,
        upper(trim(code_rome)) as rome_code,
        lib_rome_ft as rome_label,
        lien_site_onisep_fr as onisep_url,
        transition_ecologique = 'Oui' as is_ecological_transition,
        transition_ecologique_detaillee as ecological_transition_detail,
        transition_numerique = 'Oui' as is_digital_transition,
        transition_demographique = 'Oui' as is_demographic_transition,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
