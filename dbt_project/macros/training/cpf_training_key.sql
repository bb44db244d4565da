{#-
    The CPF sample has no training identifier: a training is one (title, duration, price, postcode)
    group of its (training, ROME) rows. Used by int_trainings_unioned and the ROME links alike.
-#}
{% macro cpf_training_key(relation_alias='') -%}
{%- set p = relation_alias ~ '.' if relation_alias else '' -%}
{{ p }}title || '|' || coalesce(cast({{ p }}duration_hours as varchar), '') || '|'
    || coalesce(cast({{ p }}total_price_eur as varchar), '') || '|' || coalesce({{ p }}place_postal_code, '')
{%- endmacro %}
