with source as (
    select * from {{ source('rome', 'texts') }}
),

renamed as (
    select
        code_rome as rome_code,
        code_compo_bloc as block_code,
        libelle_type_texte as text_type,
        position_phrase as sentence_position,
        libelle_texte as sentence,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
