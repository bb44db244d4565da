with source as (
    select * from {{ source('rome', 'items') }}
),

renamed as (
    select
        code_ogr as skill_code,
        libelle as label,
        -- 1 savoir-faire, 2 savoir-être, 3 savoir; empty for work contexts
        code_rubrique as rubrique_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
