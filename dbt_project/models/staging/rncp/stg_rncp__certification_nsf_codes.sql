with source as (
    select * from {{ source('rncp', 'fiche_nsf') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        nsf_code,
        left(nsf_code, 3) as nsf_group_code,
        coalesce(nullif(trim(regexp_replace(nsf_intitule, '^[0-9a-z]+ : ', '')), ''), nsf_intitule) as nsf_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
