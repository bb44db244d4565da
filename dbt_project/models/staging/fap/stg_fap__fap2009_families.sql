with source as (
    select * from {{ source('fap', 'fap2009_labels') }}
),

renamed as (
    select
        code_fap_detaillees as fap2009_code,
        fap_detaillees as label,
        code_fap_agregees as fap2009_aggregate_code,
        fap_agregees as fap2009_aggregate_label,
        code_domaines_professionnels as fap2009_domain_code,
        domaines_professionnels as fap2009_domain_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
