{#- Like `relationships`, but against the rows of `to` that satisfy `to_where` only: for example
    a commune_code must be a territory code at level 'commune', not any level's code. -#}
{% test relationships_filtered(model, column_name, to, field, to_where) %}
with parents as (
    select {{ field }} as parent_key
    from {{ to }}
    where {{ to_where }}
)

select child.{{ column_name }}
from {{ model }} as child
left join parents
    on child.{{ column_name }} = parents.parent_key
where child.{{ column_name }} is not null
    and parents.parent_key is null
{% endtest %}
