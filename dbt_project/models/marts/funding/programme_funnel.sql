-- The programme follow-up for analysts and the report: one row per (territory, programme, sex,
-- training, stage), read from outcome_indicators, so it carries exactly the statistical secrecy
-- applied there (counts of people suppressed below 5 with complement and secondary suppression,
-- flagged below 20). Beside each row: the region's employment rate 6 months after vocational
-- training (InserJeunes, the same indicator as outcome_indicators) and the regional benchmark
-- (var programme_employment_benchmark).
with funnel as (
    select * from {{ ref('outcome_indicators') }}
    where indicator_code like 'programme\_%' escape '\'
),

stages as (
    select * from (
        values
        ('programme_applications', 0, 'applications'),
        ('programme_trainees', 1, 'trainees'),
        ('programme_completed', 2, 'completed'),
        ('programme_followed_6_months', 3, 'followed_6_months'),
        ('programme_in_work_6_months', 4, 'in_work_6_months'),
        ('programme_followed_12_months', 5, 'followed_12_months'),
        ('programme_in_work_12_months', 6, 'in_work_12_months')
    ) as stages (indicator_code, stage_order, stage)
),

region_rate as (
    select value as region_employment_rate_6_months, period as region_employment_rate_period
    from {{ ref('outcome_indicators') }}
    where
        indicator_code = 'employment_rate_6_months'
        and territory_level = 'region'
        and territory_code = '{{ var("region_code") }}'
        and breakdown_code = 'all'
    qualify row_number() over (order by period desc) = 1
),

territories as (
    select territory_level, territory_code, name as territory_name from {{ ref('territories') }}
),

split as (
    select
        funnel.*,
        regexp_extract(funnel.breakdown_code, 'programme=([^;]*)', 1) as programme_code,
        regexp_extract(funnel.breakdown_code, 'sex=([^;]*)', 1) as sex,
        regexp_extract(funnel.breakdown_code, 'training=([^;]*)', 1) as training_id
    from funnel
)

select
    split.territory_level,
    split.territory_code,
    territories.territory_name,
    split.programme_code,
    split.sex,
    split.training_id,
    split.breakdown_code,
    stages.stage_order,
    stages.stage,
    split.numerator as count,
    -- the stage it is a part of (applications for trainees, completed for the follow-ups ...)
    case when stages.stage_order > 0 then split.denominator end as of_count,
    case when stages.stage_order > 0 then split.value end as share,
    split.is_suppressed,
    split.low_count,
    region_rate.region_employment_rate_6_months,
    region_rate.region_employment_rate_period,
    cast({{ var('programme_employment_benchmark') }} as double) as employment_benchmark,
    split.source like '%SYNTHETIC%' as is_synthetic,
    split.source
from split
inner join stages on split.indicator_code = stages.indicator_code
left join territories
    on split.territory_level = territories.territory_level and split.territory_code = territories.territory_code
left join region_rate on true
