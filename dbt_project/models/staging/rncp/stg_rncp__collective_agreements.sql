with source as (
    select * from {{ source('rncp', 'fiche_ccn') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        ccn_1_numero as agreement_1_code,
        ccn_1_libelle as agreement_1_label,
        ccn_2_numero as agreement_2_code,
        ccn_2_libelle as agreement_2_label,
        ccn_3_numero as agreement_3_code,
        ccn_3_libelle as agreement_3_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
