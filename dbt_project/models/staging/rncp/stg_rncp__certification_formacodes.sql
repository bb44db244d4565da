with source as (
    select * from {{ source('rncp', 'fiche_formacodes') }}
),

renamed as (
    select
        numero_fiche as certification_code,
        formacode,
        -- The label repeats the code ("42872 : Sécurité incendie").
        coalesce(nullif(trim(regexp_replace(formacode_libelle, '^[0-9]+ : ', '')), ''), formacode_libelle)
            as formacode_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
