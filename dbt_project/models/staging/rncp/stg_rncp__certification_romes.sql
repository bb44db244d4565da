with source as (
    select * from {{ source('rncp', 'fiche_romes') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        upper(trim(code_rome)) as rome_code,
        libelle_rome as rome_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
