with source as (
    select * from {{ source('france_travail_stats', 'indicator_values') }}
),

renamed as (
    select
        indicator_code,
        indicator_family as indicator_family_code,
        indicator_label,
        timezone('UTC', updated_at) as updated_at,
        -- NAT, REG, DEP, BASBMO, EPCI, COM, AGC
        territory_type,
        territory_code,
        territory_label,
        activity_type,
        activity_code,
        activity_label,
        nomenclature_code,
        nomenclature_label,
        period_type,
        -- '2022T3' for a quarter, '2022' for a year
        period_code,
        period_label,
        characteristic_type,
        characteristic_code,
        characteristic_label,
        characteristic_type is null as is_main_value,
        value_count,
        value_percent,
        value_class,
        is_masked,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
