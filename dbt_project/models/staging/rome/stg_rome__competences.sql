with source as (
    select * from {{ source('rome', 'competences') }}
),

renamed as (
    select
        code_ogr as skill_code,
        nature,
        libelle_competence as label,
        definition,
        code_ogr_macro_comp as macro_skill_code,
        code_macro_comp as macro_skill_label_code,
        cat_comp as category,
        sous_cat_comp as subcategory,
        transition_eco = 'O' as is_ecological_transition,
        transition_num = 'O' as is_digital_transition,
        libelle_heterogeneite as heterogeneity_label,
        libelle_origine as origin_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
