with source as (
    select * from {{ source('esco', 'occupations') }}
),

renamed as (
    select
        concept_uri as esco_occupation_uri,
        concept_type,
        isco_group as isco08_code,
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
