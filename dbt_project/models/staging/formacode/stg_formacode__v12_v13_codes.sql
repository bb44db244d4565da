with source as (
    select * from {{ source('formacode', 'v12_v13') }}
),

renamed as (
    select
        statut as status_code,
        code_v12 as formacode_v12,
        libelle_v12 as label_v12,
        code_v13 as formacode_v13,
        libelle_v13 as label_v13,
        flag,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
