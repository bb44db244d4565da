with source as (
    select * from {{ source('dares', 'fap_to_pcs') }}
),

renamed as (
    select
        pcs as pcs_code,
        intitule_pcs as pcs_label,
        fap as fap_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
