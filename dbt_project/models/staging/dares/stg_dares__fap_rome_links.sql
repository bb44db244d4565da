with source as (
    select * from {{ source('dares', 'fap_to_rome') }}
),

renamed as (
    select
        fap as fap_code,
        rome as rome_v3_code,
        intitule_rome as rome_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
