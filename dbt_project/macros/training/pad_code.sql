{#-
    A numeric code that lost its leading zeros in a spreadsheet (CFD '1022103' -> '01022103',
    INSEE '1001' -> '01001'), padded back to its width. Codes with letters (CFD '16X31007',
    commune '2A004') are never shorter than the width, so they pass unchanged.
-#}
{% macro pad_code(column_name, width) -%}
case
    when regexp_full_match(trim({{ column_name }}), '[0-9]+') then lpad(trim({{ column_name }}), {{ width }}, '0')
    else nullif(trim({{ column_name }}), '')
end
{%- endmacro %}
