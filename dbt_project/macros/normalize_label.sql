{#-
    A label folded for exact matching across referentials: lowercase; accents stripped and the
    ligatures œ/æ spelled out; every run of characters other than a-z and 0-9 (punctuation,
    apostrophes, hyphens, slashes, extra spaces) turned into one space; trimmed. So
    "Savoir-être : l'Écoute" and "savoir etre l ecoute" normalise alike.
-#}
{% macro normalize_label(expression) -%}
trim(regexp_replace(strip_accents(replace(replace(lower({{ expression }}), 'œ', 'oe'), 'æ', 'ae')), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}
