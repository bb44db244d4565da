with source as (
    select * from {{ source('rncp', 'fiche_voies_acces') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        si_jury as access_route,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
