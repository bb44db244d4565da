with source as (
    select * from {{ source('rome', 'fiches') }}
),

renamed as (
    select
        code_rome as rome_code,
        code_fiche_metier as fiche_number,
        code_ogr as occupation_ogr_code,
        libelle_rome as label,
        code_rome_parent as parent_rome_code,
        transition_eco as ecological_transition_label,
        transition_num = 'O' as is_digital_transition,
        transition_demo = 'O' as is_demographic_transition,
        emploi_reglemente = 'O' as is_regulated,
        emploi_cadre = 'O' as is_managerial,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
