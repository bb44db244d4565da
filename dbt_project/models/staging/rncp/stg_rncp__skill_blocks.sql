with source as (
    select * from {{ source('rncp', 'fiche_blocs_competences') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        bloc_competences_code as skill_block_code,
        bloc_competences_libelle as label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
