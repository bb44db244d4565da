with source as (
    select * from {{ source('rncp', 'fiche_certificateurs') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        siret_certificateur as certifier_siret,
        nom_certificateur as certifier_name,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
