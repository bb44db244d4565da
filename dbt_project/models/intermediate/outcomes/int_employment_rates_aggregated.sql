-- Employment rate 6 months after leaving (InserJeunes `Taux`), latest millésime: the mean of the
-- establishments' published rates (cohort sizes are not published per establishment, so the mean
-- is unweighted; `observations` counts establishments). Régions come from the file's région
-- label; départements, zones d'emploi and bassins from the place of the establishment's
-- apprenticeship actions (UAI of the place of training in the RCO flow).
-- The mean is summed in decimal and divided once: a sum of doubles depends on the order the
-- threads combine their partial sums, and two builds of the same rows gave values differing in
-- the last digits. Rates are published in whole percent (at most 2 decimals: held exactly).
with rates as (
    select
        establishment_uai,
        region_label,
        millesime,
        cast(employment_rate_6_months as decimal(5, 2)) as rate_percent
    from {{ ref('stg_inserjeunes__establishment_indicators') }}
    where
        is_whole_establishment and employment_rate_6_months is not null
        and millesime = (select max(millesime) from {{ ref('stg_inserjeunes__establishment_indicators') }})
),

regions as (
    select territory_code as region_code, {{ normalize_label('name') }} as region_key
    from {{ ref('territories') }}
    where territory_level = 'region'
),

establishment_places as (
    -- One place per establishment: the commune where most of its actions take place.
    select trainings.establishment_uai, trainings.commune_code
    from {{ ref('trainings') }} as trainings
    where trainings.establishment_uai is not null and trainings.commune_code is not null
    group by trainings.establishment_uai, trainings.commune_code
    qualify row_number() over (
        partition by trainings.establishment_uai order by count(*) desc, trainings.commune_code
    ) = 1
),

communes as (
    select territory_code as commune_code, departement_code, zone_emploi_code, bassin_bmo_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

placed as (
    select
        rates.rate_percent, rates.millesime, communes.departement_code, communes.zone_emploi_code,
        communes.bassin_bmo_code
    from rates
    join establishment_places using (establishment_uai)
    join communes using (commune_code)
),

levels as (
    select
        'region' as territory_level, regions.region_code as territory_code, rates.millesime, rates.rate_percent
    from rates join regions on regions.region_key = {{ normalize_label('rates.region_label') }}
    union all
    select 'departement', departement_code, millesime, rate_percent from placed
    union all
    select 'zone_emploi', zone_emploi_code, millesime, rate_percent from placed
    union all
    select 'bassin_bmo', bassin_bmo_code, millesime, rate_percent from placed
)

select
    territory_level,
    territory_code,
    millesime as period,
    'employment_rate_6_months' as indicator_code,
    'all' as breakdown_code,
    cast(sum(rate_percent) as double) / (100 * count(*)) as value,
    cast(null as bigint) as numerator,
    cast(null as bigint) as denominator,
    count(*) as observations,
    'InserJeunes (DEPP / DARES), establishments' as source
from levels
where territory_code is not null
group by territory_level, territory_code, millesime
