-- One row per territory of France at five levels: commune (2024 COM communes and the ARM
-- arrondissements of Paris, Lyon and Marseille), departement, region, zone_emploi (INSEE 2020)
-- and bassin_bmo (France Travail). Parent codes are set when the territory lies inside a single
-- parent; a zone or bassin spanning several départements (or régions) has NULL there.
with communes as (
    select * from {{ ref('int_communes_zoned') }}
),

departements as (
    select * from {{ ref('stg_geography__departements') }}
),

regions as (
    select * from {{ ref('stg_geography__regions') }}
),

zone_communes as (
    select * from {{ ref('stg_geography__zone_emploi_communes') }}
),

bassin_communes as (
    select * from {{ ref('stg_geography__bassin_bmo_communes') }}
),

hiring_projects as (
    select * from {{ ref('stg_bmo__hiring_projects') }}
),

-- Communes proper (not arrondissements) carry the counts and parent lookups of the larger areas.
current_communes as (
    select * from communes where commune_type = 'COM'
),

commune_rows as (
    select
        'commune' as territory_level,
        commune_code as territory_code,
        name,
        departement_code,
        region_code,
        zone_emploi_code,
        bassin_bmo_code,
        parent_commune_code,
        commune_type,
        zone_emploi_match,
        bassin_bmo_match
    from communes
),

departement_rows as (
    select
        'departement' as territory_level,
        departements.departement_code as territory_code,
        departements.name,
        departements.departement_code,
        departements.region_code,
        cast(count(current_communes.commune_code) as integer) as communes_count
    from departements
    left join current_communes on current_communes.departement_code = departements.departement_code
    group by departements.departement_code, departements.name, departements.region_code
),

region_rows as (
    select
        'region' as territory_level,
        regions.region_code as territory_code,
        regions.name,
        regions.region_code,
        cast(count(current_communes.commune_code) as integer) as communes_count
    from regions
    left join current_communes on current_communes.region_code = regions.region_code
    group by regions.region_code, regions.name
),

zone_names as (
    select zone_emploi_code, zone_emploi_name
    from (
        select
            zone_emploi_code,
            zone_emploi_name,
            row_number() over (
                partition by zone_emploi_code order by count(*) desc, zone_emploi_name
            ) as preference
        from zone_communes
        group by zone_emploi_code, zone_emploi_name
    ) as ranked
    where preference = 1
),

zone_parents as (
    select
        zone_emploi_code,
        case when count(distinct departement_code) = 1 then min(departement_code) end as departement_code,
        case when count(distinct region_code) = 1 then min(region_code) end as region_code,
        count(*) as communes_count
    from current_communes
    group by zone_emploi_code
),

zone_rows as (
    select
        'zone_emploi' as territory_level,
        zone_names.zone_emploi_code as territory_code,
        zone_names.zone_emploi_name as name,
        zone_parents.departement_code,
        zone_parents.region_code,
        zone_names.zone_emploi_code,
        cast(coalesce(zone_parents.communes_count, 0) as integer) as communes_count
    from zone_names
    left join zone_parents on zone_parents.zone_emploi_code = zone_names.zone_emploi_code
),

-- A bassin is known from the 2021 zoning or from the BMO survey (three 2024 bassins, e.g. 7549
-- Aiguillon, are not in the 2021 zoning). Its name and région come from the latest BMO survey
-- when it has one, else from the zoning file (most frequent spelling).
bassin_labels as (
    select
        bassin_bmo_code,
        bassin_bmo_name,
        region_code,
        departement_code,
        year as vintage,
        count(*) as mentions
    from hiring_projects
    group by bassin_bmo_code, bassin_bmo_name, region_code, departement_code, year
    union all
    select
        bassin_bmo_code,
        bassin_bmo_name,
        region_code,
        departement_code,
        2021 as vintage,
        count(*) as mentions
    from bassin_communes
    group by bassin_bmo_code, bassin_bmo_name, region_code, departement_code
),

bassin_names as (
    select bassin_bmo_code, bassin_bmo_name, region_code
    from (
        select
            bassin_bmo_code,
            bassin_bmo_name,
            region_code,
            row_number() over (
                partition by bassin_bmo_code
                order by vintage desc, sum(mentions) desc, bassin_bmo_name, region_code
            ) as preference
        from bassin_labels
        group by bassin_bmo_code, bassin_bmo_name, region_code, vintage
    ) as ranked
    where preference = 1
),

bassin_label_departements as (
    select
        bassin_bmo_code,
        case when count(distinct departement_code) = 1 then min(departement_code) end as departement_code
    from bassin_labels
    group by bassin_bmo_code
),

bassin_parents as (
    select
        bassin_bmo_code,
        case when count(distinct departement_code) = 1 then min(departement_code) end as departement_code,
        count(*) as communes_count
    from current_communes
    group by bassin_bmo_code
),

bassin_rows as (
    select
        'bassin_bmo' as territory_level,
        bassin_names.bassin_bmo_code as territory_code,
        bassin_names.bassin_bmo_name as name,
        known_departements.departement_code,
        regions.region_code,
        bassin_names.bassin_bmo_code,
        cast(coalesce(bassin_parents.communes_count, 0) as integer) as communes_count
    from bassin_names
    left join bassin_parents on bassin_parents.bassin_bmo_code = bassin_names.bassin_bmo_code
    left join bassin_label_departements
        on bassin_label_departements.bassin_bmo_code = bassin_names.bassin_bmo_code
    -- Bassins of territories outside the COG (501 Saint-Pierre-et-Miquelon) get no région or
    -- département.
    left join regions on regions.region_code = bassin_names.region_code
    left join departements as known_departements
        on known_departements.departement_code = case
            when bassin_parents.bassin_bmo_code is not null then bassin_parents.departement_code
            else bassin_label_departements.departement_code
        end
),

-- Each level lists only the columns it has; union all by name fills the others with NULL.
unioned as (
    select * from commune_rows
    union all by name
    select * from departement_rows
    union all by name
    select * from region_rows
    union all by name
    select * from zone_rows
    union all by name
    select * from bassin_rows
)

select
    territory_level,
    territory_code,
    name,
    departement_code,
    region_code,
    zone_emploi_code,
    bassin_bmo_code,
    parent_commune_code,
    commune_type,
    zone_emploi_match,
    bassin_bmo_match,
    communes_count,
    coalesce(region_code = '{{ var("region_code") }}', false) as is_in_region
from unioned
