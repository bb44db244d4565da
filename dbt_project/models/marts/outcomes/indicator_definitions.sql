-- One row per indicator of outcome_indicators: label, formula, source, unit and period; what its
-- counts count (people, postings, ...) and so whether statistical secrecy protects them.
with definitions as (
    select * from {{ ref('indicator_definitions_seed') }}
)

select
    indicator_code,
    label,
    formula,
    source,
    unit,
    period,
    territory_levels,
    nullif(numerator_count, '') as numerator_count,
    nullif(numerator_unit, '') as numerator_unit,
    nullif(denominator_count, '') as denominator_count,
    nullif(denominator_unit, '') as denominator_unit,
    coalesce(cast(is_part_of_whole as boolean), false) as is_part_of_whole,
    coalesce(numerator_unit = 'people' or denominator_unit = 'people', false) as counts_people,
    case
        when numerator_unit = 'people' or denominator_unit = 'people' then {{ var('suppress_below') }}
    end as suppress_below,
    case
        when numerator_unit = 'people' or denominator_unit = 'people' then {{ var('low_count_below') }}
    end as low_count_below,
    case
        when numerator_unit = 'people' or denominator_unit = 'people'
            then
                'counts of people: suppressed below {{ var("suppress_below") }} (primary, complement, secondary), flagged below {{ var("low_count_below") }}'  -- noqa: LT05
        when coalesce(numerator_unit, '') = '' and coalesce(denominator_unit, '') = ''
            then 'no count published: the publisher''s own secrecy'
        else 'counts ' || numerator_unit || ', not people: not suppressed'
    end as secrecy
from definitions
