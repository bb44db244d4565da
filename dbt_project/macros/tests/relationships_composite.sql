{#- A composite foreign key: every non-null combination of `columns` in the model exists as the
    combination `fields` (same order) in `to`. -#}
{% test relationships_composite(model, columns, to, fields) %}
select child.*
from {{ model }} as child
left join {{ to }} as parent
    on {% for column in columns %}child.{{ column }} = parent.{{ fields[loop.index0] }}{% if not loop.last %} and {% endif %}{% endfor %}
where {% for column in columns %}child.{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
    and parent.{{ fields[0] }} is null
{% endtest %}
