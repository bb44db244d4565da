with source as (
    select * from {{ source('rome', 'domains') }}
),

renamed as (
    select
        code_rome as rome_code,
        libelle_rome as label,
        code_grand_domaine as grand_domain_code,
        libelle_grand_domaine as grand_domain_label,
        code_domaine_professionel as professional_domain_code,
        libelle_domaine_professionel as professional_domain_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
