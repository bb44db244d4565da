with source as (
    select * from {{ source('catalogue_apprentissage', 'formation_rome_codes') }}
),

renamed as (
    select
        formation_id,
        position as rome_position,
        upper(trim(rome_code)) as rome_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
