-- The DARES hiring-tension indicator (2019) and its six factors, by FAP 2009 family (225 level),
-- nationally, by région and by département: one row per (territory, family, measure).
with tension as (
    select * from {{ ref('stg_dares__tension_indicators') }}
    where fap_level = 225
),

located as (
    select
        case territory_level when 'national' then 'france' else territory_level end as territory_level,
        case territory_level when 'national' then 'FR' else territory_code end as territory_code,
        cast(year as varchar) as period,
        fap_code as breakdown_code,
        average_employment,
        tension_indicator,
        hiring_intensity,
        training_employment_link,
        labour_shortage,
        job_non_durability,
        working_conditions_constraint,
        geographic_mismatch
    from tension
),

measures as (
    select
        territory_level, territory_code, period, breakdown_code, 'tension_indicator' as indicator_code,
        tension_indicator as value, average_employment as observations
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_hiring_intensity',
        cast(hiring_intensity as double), average_employment
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_training_employment_link',
        cast(training_employment_link as double), average_employment
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_labour_shortage',
        cast(labour_shortage as double), average_employment
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_job_non_durability',
        cast(job_non_durability as double), average_employment
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_working_conditions',
        cast(working_conditions_constraint as double), average_employment
    from located
    union all
    select
        territory_level, territory_code, period, breakdown_code, 'tension_geographic_mismatch',
        cast(geographic_mismatch as double), average_employment
    from located
)

select
    territory_level,
    territory_code,
    period,
    indicator_code,
    breakdown_code,
    value,
    cast(null as bigint) as numerator,
    cast(null as bigint) as denominator,
    observations,
    'DARES, Portraits statistiques des métiers (tension 2019)' as source
from measures
where value is not null
