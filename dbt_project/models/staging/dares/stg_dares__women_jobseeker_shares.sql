with source as (
    select * from {{ source('dares', 'women_share_jobseekers') }}
),

renamed as (
    select
        fap3 as fap_code,
        fap3 = 'Ensemble' as is_total,
        cast(part_femmes_a as double) as women_share_pct,
        cast(part_defm_1an_ou_plus as double) as registered_one_year_or_more_share_pct,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
