{#- An offer title folded for near-duplicate detection: the gender marks recruiters add or omit
    ("(H/F)", "F/H", "h / f", "H/F/X") removed, then normalize_label (case, accents, punctuation).
    "Agent d'entretien (H/F)" and "AGENT D'ENTRETIEN F/H" fold to "agent d entretien". -#}
{% macro normalize_title(expression) -%}
    {{ normalize_label("regexp_replace(lower(" ~ expression ~ "), '\\(?\\b[hf] ?/ ?[hf]( ?/ ?x)?\\b\\)?', ' ', 'g')") }}
{%- endmacro %}
