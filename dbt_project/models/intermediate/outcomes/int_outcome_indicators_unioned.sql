-- Every indicator in one long table, before statistical secrecy is applied (see outcome_indicators).
{% set parts = [
    'int_employment_rates_aggregated',
    'int_difficult_hiring_rates_aggregated',
    'int_posting_jobseeker_ratios_computed',
    'int_tension_indicators_unpivoted',
    'int_women_shares_selected',
    'int_training_proximity_shares_computed',
    'int_skill_gap_indexes_computed',
    'int_matching_funnels_counted',
    'int_programme_funnels_counted',
] %}
with unioned as (
    {% for part in parts %}
        select
            territory_level, territory_code, cast(period as varchar) as period, indicator_code,
            breakdown_code, cast(value as double) as value, cast(numerator as bigint) as numerator,
            cast(denominator as bigint) as denominator, cast(observations as bigint) as observations,
            source
        from {{ ref(part) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from unioned
