with source as (
    select * from {{ source('fap', 'fap2021_nomenclature') }}
),

renamed as (
    select
        code_fap_341 as fap2021_code,
        intitule_fap_341 as label,
        -- the 228 level is the BMO métier code
        code_fap_228 as fap2021_228_code,
        intitule_fap_228 as fap2021_228_label,
        code_fap_86 as fap2021_86_code,
        intitule_fap_86 as fap2021_86_label,
        code_fap_22 as fap2021_domain_code,
        intitule_fap_22 as fap2021_domain_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
