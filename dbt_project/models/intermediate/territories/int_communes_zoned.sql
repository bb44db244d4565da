-- Every 2024 commune (COM) and municipal arrondissement (ARM) with its zone d'emploi 2020 and its
-- BMO bassin (France Travail 2021 zoning), and how each was found. Rule, in order:
--   1. the commune's own code is listed                                    -> 'direct'
--   2. for an arrondissement, its parent commune's code is listed          -> 'via_parent_commune'
--   3. a former commune of it (COG 2024 COMD/COMA row whose COMPARENT is the commune) is listed
--      -> the zone/bassin of its former communes, the most frequent one, ties to the lowest code
--                                                                          -> 'via_former_commune'
--   4. otherwise NULL (unresolved; tests/assert_region_communes_are_zoned.sql lists them).
with cog as (
    select * from {{ ref('stg_geography__communes') }}
),

bassins as (
    select commune_code, bassin_bmo_code from {{ ref('stg_geography__bassin_bmo_communes') }}
),

zones as (
    select commune_code, zone_emploi_code from {{ ref('stg_geography__zone_emploi_communes') }}
),

communes as (
    select
        commune_code,
        commune_type,
        name,
        departement_code,
        region_code,
        parent_commune_code
    from cog
    where commune_type in ('COM', 'ARM')
),

former_communes as (
    select commune_code as former_commune_code, parent_commune_code as commune_code
    from cog
    where commune_type in ('COMD', 'COMA') and commune_code <> parent_commune_code
),

bassin_via_former as (
    select commune_code, bassin_bmo_code
    from (
        select
            former_communes.commune_code,
            bassins.bassin_bmo_code,
            row_number() over (
                partition by former_communes.commune_code
                order by count(*) desc, bassins.bassin_bmo_code
            ) as preference
        from former_communes
        inner join bassins on bassins.commune_code = former_communes.former_commune_code
        group by former_communes.commune_code, bassins.bassin_bmo_code
    ) as ranked
    where preference = 1
),

zone_via_former as (
    select commune_code, zone_emploi_code
    from (
        select
            former_communes.commune_code,
            zones.zone_emploi_code,
            row_number() over (
                partition by former_communes.commune_code
                order by count(*) desc, zones.zone_emploi_code
            ) as preference
        from former_communes
        inner join zones on zones.commune_code = former_communes.former_commune_code
        group by former_communes.commune_code, zones.zone_emploi_code
    ) as ranked
    where preference = 1
),

zoned as (
    select
        communes.commune_code,
        communes.commune_type,
        communes.name,
        communes.departement_code,
        communes.region_code,
        communes.parent_commune_code,
        coalesce(
            own_zone.zone_emploi_code, parent_zone.zone_emploi_code, zone_via_former.zone_emploi_code
        ) as zone_emploi_code,
        case
            when own_zone.zone_emploi_code is not null then 'direct'
            when parent_zone.zone_emploi_code is not null then 'via_parent_commune'
            when zone_via_former.zone_emploi_code is not null then 'via_former_commune'
        end as zone_emploi_match,
        coalesce(
            own_bassin.bassin_bmo_code, parent_bassin.bassin_bmo_code, bassin_via_former.bassin_bmo_code
        ) as bassin_bmo_code,
        case
            when own_bassin.bassin_bmo_code is not null then 'direct'
            when parent_bassin.bassin_bmo_code is not null then 'via_parent_commune'
            when bassin_via_former.bassin_bmo_code is not null then 'via_former_commune'
        end as bassin_bmo_match
    from communes
    left join zones as own_zone on own_zone.commune_code = communes.commune_code
    left join zones as parent_zone on parent_zone.commune_code = communes.parent_commune_code
    left join zone_via_former on zone_via_former.commune_code = communes.commune_code
    left join bassins as own_bassin on own_bassin.commune_code = communes.commune_code
    left join bassins as parent_bassin on parent_bassin.commune_code = communes.parent_commune_code
    left join bassin_via_former on bassin_via_former.commune_code = communes.commune_code
)

select * from zoned
