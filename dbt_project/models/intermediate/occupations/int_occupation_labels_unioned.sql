{#-
    One row per name of a ROME 4.0 fiche: the fiche's own label and each of its appellations'
    long labels, with the fiche's code and historic parent code. What the Python steps compare
    texts with when they look for the occupation a title names (training titles, offer texts).
-#}
with fiches as (
    select rome_code, parent_rome_code, label, 'fiche' as label_origin
    from {{ ref('stg_rome__occupations') }}
),

appellations as (
    select rome_code, parent_rome_code, label, 'appellation' as label_origin
    from {{ ref('stg_rome__appellations') }}
),

unioned as (
    select * from fiches
    union all by name
    select * from appellations
)

select * from unioned
