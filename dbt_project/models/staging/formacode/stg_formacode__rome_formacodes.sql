with source as (
    select * from {{ source('formacode', 'rome_formacode') }}
),

renamed as (
    select
        upper(trim(code_rome_v3)) as rome_code,
        libelle_rome_v3 as rome_label,
        formacode,
        formacode_libelle_upper as formacode_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
