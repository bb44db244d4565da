with source as (
    select * from {{ source('candidates', 'profiles') }}
),

renamed as (
    select
        candidate_id,
        sought_rome_codes,
        skill_codes,
        commune_code,
        max_distance_km,
        gender,
        registered_at,
        coalesce(is_synthetic, false) as is_synthetic,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
