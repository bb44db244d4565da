{#- Path glob of a raw table's Parquet files, every partition. Used by sources' external_location. -#}
{% macro raw_zone_glob(source_name, table_name) -%}
{{ env_var('PASSERELLE_DATA_DIR', '../data') }}/raw/{{ source_name }}/{{ table_name }}/*/*.parquet
{%- endmacro %}
