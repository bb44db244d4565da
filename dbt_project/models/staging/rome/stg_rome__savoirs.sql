with source as (
    select * from {{ source('rome', 'savoirs') }}
),

renamed as (
    select
        code_ogr_savoir as skill_code,
        libelle_savoir as label,
        categorie_savoir as category,
        sous_categorie_savoir as subcategory,
        transition_eco = 'O' as is_ecological_transition,
        transition_num = 'O' as is_digital_transition,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
