-- Share of women in the digital occupations. Digital FAP families are those (87 level, the first
-- three characters of the FAP 2009 code) of the ROME fiches flagged is_digital in occupations.
-- DARES publishes them nationally: in employment (latest 3-year window) and among category-A
-- jobseekers. The France Travail statistics API (DE_1) adds the share of women among jobseekers
-- by ROME code and territory, where a response was fetched.
with digital_families as (
    select distinct left(fap2009_code, 3) as fap_code
    from {{ ref('occupations') }}
    where is_digital and fap2009_code is not null
),

employment as (
    select shares.fap_code, shares.period_label, shares.women_share_pct
    from {{ ref('stg_dares__women_employment_shares') }} as shares
    join digital_families using (fap_code)
    qualify shares.period_end_year = max(shares.period_end_year) over (partition by shares.fap_code)
),

jobseekers as (
    select shares.fap_code, shares.women_share_pct
    from {{ ref('stg_dares__women_jobseeker_shares') }} as shares
    join digital_families using (fap_code)
),

api_totals as (
    select territory_type, territory_code, activity_code, nomenclature_code, period_code, value_count
    from {{ ref('stg_france_travail_stats__indicator_values') }}
    where indicator_code = 'DE_1' and is_main_value
),

api_women as (
    select territory_type, territory_code, activity_code, nomenclature_code, period_code, value_count
    from {{ ref('stg_france_travail_stats__indicator_values') }}
    where indicator_code = 'DE_1' and characteristic_type = 'GENRE' and characteristic_code = 'F'
),

unioned as (
    select
        'france' as territory_level, 'FR' as territory_code, period_label as period,
        'women_share_employment_digital' as indicator_code, fap_code as breakdown_code,
        women_share_pct / 100.0 as value, cast(null as bigint) as numerator,
        cast(null as bigint) as denominator, cast(null as bigint) as observations,
        'DARES, Portraits statistiques des métiers (Enquête Emploi)' as source
    from employment
    union all
    select
        'france', 'FR', '2019', 'women_share_jobseekers_digital', fap_code,
        women_share_pct / 100.0, null, null, null,
        'DARES, Portraits statistiques des métiers (category-A jobseekers)'
    from jobseekers
    union all
    select
        case totals.territory_type
            when 'REG' then 'region' when 'DEP' then 'departement'
            when 'BASBMO' then 'bassin_bmo' when 'NAT' then 'france' else lower(totals.territory_type)
        end,
        totals.territory_code,
        totals.period_code,
        'women_share_jobseekers_rome',
        totals.activity_code || ':' || totals.nomenclature_code,
        cast(women.value_count as double) / nullif(totals.value_count, 0),
        cast(women.value_count as bigint),
        cast(totals.value_count as bigint),
        null,
        'France Travail API Marché du travail, DE_1 by GENRE (counts rounded to 10)'
    from api_totals as totals
    join api_women as women
        using (territory_type, territory_code, activity_code, nomenclature_code, period_code)
)

select * from unioned
