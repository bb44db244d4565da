-- One row per (territory level, territory code, skill) for the skills that postings of the
-- territory asked for in the last 12 months of data (var skill_gap_window_months, default 12):
-- how many postings asked, how many trainings located in the territory teach it, and the gap
-- ratio postings_with_skill / (trainings_teaching + 1).
-- Levels: region, departement, zone_emploi, bassin_bmo. Postings: the counted ones (near duplicates
-- out) of int_job_postings_territories_unpivoted whose creation month is within the 12 months
-- ending with the latest creation month of any posting. Trainings: active ones (the RCO flow's
-- withdrawn actions, is_published = false, left out), placed by their COG 2024 commune.
with counted_postings as (
    select posting_id, month, territory_level, territory_code
    from {{ ref('int_job_postings_territories_unpivoted') }}
),

window_end as (
    select max(month) as last_month from counted_postings
),

recent_postings as (
    select
        counted_postings.posting_id, counted_postings.territory_level, counted_postings.territory_code,
        window_end.last_month
    from counted_postings
    cross join window_end
    where counted_postings.month > window_end.last_month - to_months({{ var('skill_gap_window_months', 12) }})
),

posting_skills as (
    select distinct posting_id, skill_code from {{ ref('posting_skills') }}
),

demand as (
    select
        recent_postings.territory_level,
        recent_postings.territory_code,
        posting_skills.skill_code,
        count(distinct recent_postings.posting_id) as postings_with_skill
    from recent_postings
    inner join posting_skills on recent_postings.posting_id = posting_skills.posting_id
    group by recent_postings.territory_level, recent_postings.territory_code, posting_skills.skill_code
),

territory_postings as (
    select
        territory_level, territory_code, count(distinct posting_id) as postings_in_territory,
        min(last_month) as last_month
    from recent_postings
    group by territory_level, territory_code
),

communes as (
    select territory_code as commune_code, region_code, departement_code, zone_emploi_code, bassin_bmo_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

placed_trainings as (
    select
        trainings.training_id, communes.region_code, communes.departement_code,
        communes.zone_emploi_code, communes.bassin_bmo_code
    from {{ ref('trainings') }} as trainings
    inner join communes on trainings.commune_code = communes.commune_code
    where coalesce(trainings.is_published, true)
),

training_territories as (
    select training_id, 'region' as territory_level, region_code as territory_code
    from placed_trainings where region_code is not null
    union all
    select training_id, 'departement', departement_code from placed_trainings where departement_code is not null
    union all
    select training_id, 'zone_emploi', zone_emploi_code from placed_trainings where zone_emploi_code is not null
    union all
    select training_id, 'bassin_bmo', bassin_bmo_code from placed_trainings where bassin_bmo_code is not null
),

asked_skills as (
    select distinct skill_code from demand
),

taught as (
    select distinct training_skills.training_id, training_skills.skill_code
    from {{ ref('training_skills') }} as training_skills
    inner join asked_skills on training_skills.skill_code = asked_skills.skill_code
),

supply as (
    select
        training_territories.territory_level,
        training_territories.territory_code,
        taught.skill_code,
        count(distinct taught.training_id) as trainings_teaching
    from training_territories
    inner join taught on training_territories.training_id = taught.training_id
    group by training_territories.territory_level, training_territories.territory_code, taught.skill_code
),

territory_trainings as (
    select territory_level, territory_code, count(distinct training_id) as trainings_in_territory
    from training_territories
    group by territory_level, territory_code
),

territories as (
    select territory_level, territory_code, name from {{ ref('territories') }}
),

skills as (
    select skill_code, label from {{ ref('skills') }}
)

select
    demand.territory_level,
    demand.territory_code,
    territories.name as territory_name,
    demand.skill_code,
    skills.label as skill_label,
    cast(demand.postings_with_skill as integer) as postings_with_skill,
    cast(territory_postings.postings_in_territory as integer) as postings_in_territory,
    round(cast(demand.postings_with_skill as double) / territory_postings.postings_in_territory, 4)
        as share_of_postings,
    cast(coalesce(supply.trainings_teaching, 0) as integer) as trainings_teaching,
    cast(coalesce(territory_trainings.trainings_in_territory, 0) as integer) as trainings_in_territory,
    round(cast(demand.postings_with_skill as double) / (coalesce(supply.trainings_teaching, 0) + 1), 4) as gap_ratio,
    coalesce(supply.trainings_teaching, 0) = 0 as is_taught_nowhere_in_territory,
    cast(territory_postings.last_month + to_months(1 - {{ var('skill_gap_window_months', 12) }}) as date)
        as period_start_month,
    territory_postings.last_month as period_end_month
from demand
inner join territory_postings
    on
        demand.territory_level = territory_postings.territory_level
        and demand.territory_code = territory_postings.territory_code
left join supply
    on
        demand.territory_level = supply.territory_level
        and demand.territory_code = supply.territory_code
        and demand.skill_code = supply.skill_code
left join territory_trainings
    on
        demand.territory_level = territory_trainings.territory_level
        and demand.territory_code = territory_trainings.territory_code
left join territories
    on
        demand.territory_level = territories.territory_level
        and demand.territory_code = territories.territory_code
left join skills on demand.skill_code = skills.skill_code
