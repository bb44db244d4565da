with source as (
    select * from {{ source('esco', 'skill_groups') }}
),

renamed as (
    select
        concept_uri as skill_group_uri,
        preferred_label as label,
        string_split(alt_labels, chr(10)) as alt_labels,
        description,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
