with source as (
    select * from {{ source('rncp', 'fiche_successions') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        ancienne_certification as previous_certification_code,
        nouvelle_certification as next_certification_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
