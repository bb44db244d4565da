with source as (
    select * from {{ source('programme', 'participants') }}
),

renamed as (
    select
        participant_id,
        programme_code,
        applied_at,
        is_selected,
        training_id,
        training_end_at,
        has_completed,
        employed_6_months,
        employed_12_months,
        commune_code,
        gender,
        coalesce(is_synthetic, false) as is_synthetic,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
