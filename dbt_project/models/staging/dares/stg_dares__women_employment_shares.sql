with source as (
    select * from {{ source('dares', 'women_share_employment') }}
),

renamed as (
    select
        fap3 as fap_code,
        annee as period_label,
        cast(annee_debut as integer) as period_start_year,
        cast(annee_fin as integer) as period_end_year,
        cast(part as double) as women_share_pct,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
