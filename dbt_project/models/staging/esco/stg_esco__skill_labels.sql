{#-
    A reshaped view of the ESCO skills raw table: one row per (skill, French label), the preferred
    label and each alternative label, so that label matching is a plain equi-join downstream.
    Unnesting is DuckDB-specific, so it happens here in staging rather than in a mart.
-#}
with source as (
    select * from {{ source('esco', 'skills') }}
),

preferred as (
    select
        concept_uri as esco_skill_uri,
        preferred_label as label,
        'preferred' as label_type
    from source
),

alternative as (
    select
        esco_skill_uri,
        trim(label) as label,
        'alternative' as label_type
    from (
        select
            concept_uri as esco_skill_uri,
            unnest(string_split(alt_labels, chr(10))) as label
        from source
        where alt_labels is not null
    ) as exploded
),

renamed as (
    select * from preferred
    union all
    select * from alternative
)

select * from renamed
where label <> ''
