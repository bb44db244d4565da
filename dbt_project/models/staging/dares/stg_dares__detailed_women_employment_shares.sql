with source as (
    select * from {{ source('dares', 'women_share_employment_detailed') }}
),

renamed as (
    select
        fap3 as fap_code,
        -- The code's length tells its level: domain letter, FAP 87, FAP 225, or the total.
        case length(fap3)
            when 1 then 'domain'
            when 3 then 'fap87'
            when 5 then 'fap225'
            else 'total'
        end as fap_level,
        libelle as fap_label,
        annee as period_label,
        cast(annee_debut as integer) as period_start_year,
        cast(annee_fin as integer) as period_end_year,
        cast(part as double) as women_share_pct,
        code_domaine as domain_code,
        libelle_domaine as domain_label,
        code_fap_agregee as fap87_code,
        libelle_fap_agregee as fap87_label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
