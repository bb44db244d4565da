with source as (
    select * from {{ source('rome', 'coherence_items') }}
),

renamed as (
    select
        code_rome as rome_code,
        code_ogr as skill_code,
        coeur_metier as core_level,
        coeur_metier is not null as is_core,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
