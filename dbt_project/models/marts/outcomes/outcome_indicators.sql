-- One row per (territory, period, indicator, breakdown), with statistical secrecy applied to the
-- counts of people (int_outcome_indicators_protected, rules in matching/secrecy.py): a suppressed
-- row withholds value, numerator and denominator; a published row whose smallest count of people
-- is below low_count_below is flagged low_count. Counts of postings, trainings, skill mentions or
-- hiring projects are not people and are not suppressed. Rates published without counts
-- (InserJeunes, DARES) carry their publisher's own secrecy.
with protected as (
    select * from {{ ref('int_outcome_indicators_protected') }}
)

select
    territory_level,
    territory_code,
    period,
    indicator_code,
    breakdown_code,
    case when is_suppressed then null else value end as value,
    case when is_suppressed then null else numerator end as numerator,
    case when is_suppressed then null else denominator end as denominator,
    is_suppressed,
    coalesce(not is_suppressed and smallest_people_count < {{ var('low_count_below') }}, false) as low_count,
    observations,
    source
from protected
