{#- Fails when the model has fewer than min_rows rows: an empty mart is a broken mart. -#}
{% test has_rows(model, min_rows=1) %}
with counted as (
    select count(*) as row_count from {{ model }}
)

select row_count
from counted
where row_count < {{ min_rows }}
{% endtest %}
