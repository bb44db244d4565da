-- Skill-gap index: the share of demanded skill mentions (one per posting and skill, near
-- duplicates excluded) whose skill no training located in the same territory teaches.
with mentions as (
    select distinct
        territories.territory_level, territories.territory_code, territories.posting_id,
        posting_skills.skill_code
    from {{ ref('int_job_postings_territories_unpivoted') }} as territories
    join {{ ref('posting_skills') }} as posting_skills using (posting_id)
),

communes as (
    select territory_code as commune_code, departement_code, region_code, zone_emploi_code, bassin_bmo_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

taught_places as (
    select distinct
        training_skills.skill_code, communes.region_code, communes.departement_code,
        communes.zone_emploi_code, communes.bassin_bmo_code
    from {{ ref('training_skills') }} as training_skills
    join {{ ref('trainings') }} using (training_id)
    join communes using (commune_code)
),

taught as (
    select distinct 'region' as territory_level, region_code as territory_code, skill_code from taught_places
    union all
    select distinct 'departement', departement_code, skill_code from taught_places
    union all
    select distinct 'zone_emploi', zone_emploi_code, skill_code from taught_places
    union all
    select distinct 'bassin_bmo', bassin_bmo_code, skill_code from taught_places
)

select
    mentions.territory_level,
    mentions.territory_code,
    'snapshot' as period,
    'skill_gap_index' as indicator_code,
    'all' as breakdown_code,
    avg(case when taught.skill_code is null then 1.0 else 0.0 end) as value,
    cast(sum(case when taught.skill_code is null then 1 else 0 end) as bigint) as numerator,
    cast(count(*) as bigint) as denominator,
    cast(null as bigint) as observations,
    'France Travail offers (skills structured, text and occupation_prior) / training catalogues' as source
from mentions
left join taught using (territory_level, territory_code, skill_code)
group by mentions.territory_level, mentions.territory_code
