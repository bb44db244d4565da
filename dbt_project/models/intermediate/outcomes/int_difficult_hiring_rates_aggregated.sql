-- Difficult-hiring rate (BMO): difficult projects / projects, over the (bassin, métier) rows whose
-- both figures are published in full, by région, département (bassins within one département)
-- and bassin. Secret cells are left out of both numerator and denominator.
with needs as (
    select year, region_code, departement_code, bassin_bmo_code, projects, difficult_projects
    from {{ ref('hiring_needs') }}
    where difficulty_rate is not null
),

levels as (
    select year, 'region' as territory_level, region_code as territory_code, projects, difficult_projects
    from needs where region_code is not null
    union all
    select year, 'departement', departement_code, projects, difficult_projects
    from needs where departement_code is not null
    union all
    select year, 'bassin_bmo', bassin_bmo_code, projects, difficult_projects
    from needs
),

aggregated as (
    select
        territory_level,
        territory_code,
        cast(year as varchar) as period,
        'difficult_hiring_rate' as indicator_code,
        'all' as breakdown_code,
        sum(difficult_projects) as numerator,
        sum(projects) as denominator,
        count(*) as observations
    from levels
    group by territory_level, territory_code, year
)

select
    territory_level,
    territory_code,
    period,
    indicator_code,
    breakdown_code,
    cast(numerator as double) / nullif(denominator, 0) as value,
    numerator,
    denominator,
    observations,
    'BMO 2024 (France Travail)' as source
from aggregated
