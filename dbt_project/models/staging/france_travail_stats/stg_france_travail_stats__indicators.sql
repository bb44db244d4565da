with source as (
    select * from {{ source('france_travail_stats', 'indicators') }}
),

renamed as (
    select
        indicator_code,
        label,
        description,
        family_code,
        is_available,
        timezone('UTC', updated_at) as updated_at,
        -- comma-separated codes of the types the indicator can be asked for
        territory_types,
        activity_types,
        period_types,
        nomenclature_types,
        characteristic_types,
        value_types,
        cast(characteristics_json as json) as characteristics,
        cast(nomenclatures_json as json) as nomenclatures,
        cast(crossings_json as json) as crossings,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
