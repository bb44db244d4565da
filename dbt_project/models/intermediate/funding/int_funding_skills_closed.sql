-- One row per (training of the region, target occupation, skill): the core ROME items of the
-- occupation (coeur_metier) that the training teaches, by any origin of training_skills. These are
-- the skills the training closes for someone seeking that occupation; a (training, occupation)
-- pair with no row here closes no gap and is never proposed by training_funding_plan.
-- Trainings: placed in the configured region, active (the RCO flow's withdrawn actions left out).
with trainings as (
    select training_id
    from {{ ref('trainings') }}
    where is_in_region and commune_code is not null and coalesce(is_published, true)
),

links as (
    select training_id, rome_code from {{ ref('training_occupations') }}
),

core_items as (
    select distinct rome_code, skill_code
    from {{ ref('stg_rome__occupation_items') }}
    where is_core
),

taught as (
    select distinct training_id, skill_code from {{ ref('training_skills') }}
)

select
    links.training_id,
    links.rome_code,
    core_items.skill_code
from links
inner join trainings on links.training_id = trainings.training_id
inner join core_items on links.rome_code = core_items.rome_code
inner join taught
    on
        links.training_id = taught.training_id
        and core_items.skill_code = taught.skill_code
