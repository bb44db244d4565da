with source as (
    select * from {{ source('rncp', 'fiche_partenaires') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        nom_partenaire as partner_name,
        siret_partenaire as partner_siret,
        habilitation_partenaire as habilitation,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
