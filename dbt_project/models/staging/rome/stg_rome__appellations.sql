with source as (
    select * from {{ source('rome', 'appellations') }}
),

renamed as (
    select
        code_ogr as appellation_code,
        libelle_appellation_long as label,
        libelle_appellation_court as short_label,
        code_rome as rome_code,
        code_rome_parent as parent_rome_code,
        classification,
        origine as origin,
        peu_usite = 'O' as is_rarely_used,
        transition_num = 'O' as is_digital_transition,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
