{#-
    An LHEO date (YYYYMMDD text) as a DATE. '00000000' is already NULL in the raw zone; a day of
    '00' means the month only: the first day of the month for a start, the last day for an end.
    DuckDB-specific (strptime, last_day): used in staging only.
-#}
{% macro lheo_date(column_name, is_end=false) -%}
case
    when {{ column_name }} is null then null
    when right({{ column_name }}, 2) = '00'
        then {% if is_end %}last_day({% endif %}try_strptime(left({{ column_name }}, 6) || '01', '%Y%m%d')::date{% if is_end %}){% endif %}
    else try_strptime({{ column_name }}, '%Y%m%d')::date
end
{%- endmacro %}
