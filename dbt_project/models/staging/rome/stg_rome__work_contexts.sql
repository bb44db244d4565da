with source as (
    select * from {{ source('rome', 'contextes_travail') }}
),

renamed as (
    select
        code_ogr as skill_code,
        libelle_cont_travail as label,
        code_type_cont_trav as context_type_code,
        libelle_type_cont_trav as context_type_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
