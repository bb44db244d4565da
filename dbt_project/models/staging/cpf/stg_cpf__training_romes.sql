with source as (
    select * from {{ source('cpf', 'training_romes') }}
),

renamed as (
    select
        formation_title as title,
        upper(trim(formation_proximite_romes_code)) as rome_code,
        duration as duration_hours,
        total_price_ttc as total_price_eur,
        {{ pad_code('address_postal_code', 5) }} as place_postal_code,
        formation_specific_condition as specific_conditions,
        formation_code_modalite_enseign as teaching_mode_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
