with source as (
    select * from {{ source('kit_apprentissage', 'rncp_blocs_competences') }}
),

renamed as (
    select
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        numero_bloc as skill_block_code,
        intitule as label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
