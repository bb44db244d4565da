-- One row per indicator of outcome_indicators: label, formula, source, unit and period.
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
    territory_levels
from definitions
