-- One row per (training, skill, origin): the skills a training teaches and where each comes from.
--   occupation_core   the core items (coeur_metier 'Principale' or 'Émergente') of the ROME fiches
--                     the training leads to (training_occupations);
--   rncp_skill_block  the ROME items that the skill blocks of the training's certification cover
--                     (Kit v1.4 rncp_blocs_competences, mapped by matching.training_skills);
--   content_text      the ROME items that the training's own content text covers (LHEO, CPF).
-- A skill brought by several origins has one row per origin.
with links as (
    select training_id, rome_code, confidence from {{ ref('training_occupations') }}
),

core_items as (
    select rome_code, skill_code, core_level
    from {{ ref('stg_rome__occupation_items') }}
    where is_core
),

occupation_core as (
    select
        links.training_id,
        core_items.skill_code,
        'occupation_core' as origin,
        count(distinct links.rome_code) as occupations_count,
        max(links.confidence) as confidence,
        max(case when core_items.core_level = 'Principale' then 1 else 0 end) = 1 as is_principal_core,
        cast(null as varchar) as evidence
    from links
    inner join core_items on links.rome_code = core_items.rome_code
    group by links.training_id, core_items.skill_code
),

certification_items as (
    select
        rncp_code,
        skill_code,
        max(coverage) as coverage,
        min(evidence) as evidence
    from {{ ref('stg_matching__rncp_skill_block_items') }}
    group by rncp_code, skill_code
),

rncp_skill_block as (
    select
        trainings.training_id,
        certification_items.skill_code,
        'rncp_skill_block' as origin,
        cast(null as bigint) as occupations_count,
        certification_items.coverage as confidence,
        cast(null as boolean) as is_principal_core,
        certification_items.evidence
    from {{ ref('trainings') }} as trainings
    inner join certification_items on trainings.rncp_code = certification_items.rncp_code
),

content_text as (
    select
        training_id,
        skill_code,
        'content_text' as origin,
        cast(null as bigint) as occupations_count,
        coverage as confidence,
        cast(null as boolean) as is_principal_core,
        evidence
    from {{ ref('stg_matching__training_content_skills') }}
)

select * from occupation_core
union all
select * from rncp_skill_block
union all
select * from content_text
