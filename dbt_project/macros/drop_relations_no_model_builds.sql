{% macro drop_relations_no_model_builds() %}
    {#-
        A model removed, renamed or moved to another schema leaves its table or view behind in the
        warehouse: analysts would read a relation nothing refreshes any more, and the publish step
        copies every table of schema marts (a table moved to schema private for privacy would
        still sit in marts). Run at the start of every dbt invocation (on-run-start): each
        relation of a schema the project builds into that no model, seed or snapshot of the
        project defines is dropped, and logged; but the tables models' hooks write, listed in the
        project var relations_written_by_hooks.
    -#}
    {%- if execute -%}
        {%- set defined = [] -%}
        {%- for relation in var("relations_written_by_hooks", []) -%}
            {%- do defined.append(relation | lower) -%}
        {%- endfor -%}
        {%- set schemas = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type in ("model", "seed", "snapshot") -%}
            {%- do defined.append((node.schema ~ "." ~ (node.alias or node.name)) | lower) -%}
            {%- if node.schema not in schemas -%}{%- do schemas.append(node.schema) -%}{%- endif -%}
        {%- endfor -%}
        {%- set schema_list -%}
            {%- for schema in schemas -%}'{{ schema }}'{{ ", " if not loop.last }}{%- endfor -%}
        {%- endset -%}
        {%- set existing -%}
            select schema_name, table_name, 'table' as kind
            from duckdb_tables()
            where database_name = current_database() and schema_name in ({{ schema_list }})
            union all
            select schema_name, view_name, 'view' as kind
            from duckdb_views()
            where not internal and database_name = current_database() and schema_name in ({{ schema_list }})
        {%- endset -%}
        {%- for row in run_query(existing) -%}
            {%- if (row[0] ~ "." ~ row[1]) | lower not in defined -%}
                {%- do log("dropping " ~ row[2] ~ " " ~ row[0] ~ "." ~ row[1] ~ ": no model of the project builds it", info=true) -%}
                {%- do run_query("drop " ~ row[2] ~ ' if exists "' ~ row[0] ~ '"."' ~ row[1] ~ '"') -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
