with source as (
    select * from {{ source('esco', 'skills') }}
),

renamed as (
    select
        concept_uri as esco_skill_uri,
        concept_type,
        -- 'skill/competence' or 'knowledge' (one concept is published as both)
        skill_type,
        reuse_level,
        preferred_label as label,
        -- altLabels hold one label per line inside the quoted cell
        string_split(alt_labels, chr(10)) as alt_labels,
        description,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
