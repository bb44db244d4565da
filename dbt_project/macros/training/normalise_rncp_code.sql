{#-
    An RNCP fiche code as 'RNCP' + digits, whatever the source wrote ('RNCP955', '955', 'rncp 955').
    RS (répertoire spécifique) codes keep their 'RS' prefix; anything else ('NR', '') becomes NULL.
-#}
{% macro normalise_rncp_code(column_name) -%}
case
    when regexp_full_match(upper(trim({{ column_name }})), 'RNCP ?[0-9]+')
        then 'RNCP' || regexp_extract(upper(trim({{ column_name }})), '[0-9]+')
    when regexp_full_match(trim({{ column_name }}), '[0-9]+') then 'RNCP' || trim({{ column_name }})
    when regexp_full_match(upper(trim({{ column_name }})), 'RS ?[0-9]+')
        then 'RS' || regexp_extract(upper(trim({{ column_name }})), '[0-9]+')
end
{%- endmacro %}
