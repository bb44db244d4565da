-- One row per (territory, period, indicator, breakdown), with statistical secrecy applied: when a
-- count (numerator or denominator) is below 5, value, numerator and denominator are withheld
-- (is_suppressed); below 20 the row is flagged low_count. Rates published without counts
-- (InserJeunes, DARES) carry their publisher's own secrecy.
with unioned as (
    select * from {{ ref('int_outcome_indicators_unioned') }}
),

flagged as (
    select
        *,
        coalesce(
            least(coalesce(numerator, denominator), coalesce(denominator, numerator))
                < {{ var('suppress_below', 5) }},
            false
        ) as is_suppressed,
        least(coalesce(numerator, denominator), coalesce(denominator, numerator)) as smallest_count
    from unioned
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
    coalesce(not is_suppressed and smallest_count < {{ var('low_count_below', 20) }}, false) as low_count,
    observations,
    source
from flagged
