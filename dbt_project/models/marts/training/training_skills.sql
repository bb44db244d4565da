-- One row per (training, skill): the skills a training teaches. Built so far from one origin,
-- 'occupation_core': the core items (coeur_metier 'Principale' or 'Émergente' in the ROME
-- coherence matrix) of the occupations the training leads to. The RNCP skill blocks and the
-- training's own content text need the extractor's text matching (matching issue): not built yet.
with links as (
    select training_id, rome_code, confidence from {{ ref('training_occupations') }}
),

core_items as (
    select rome_code, skill_code, core_level
    from {{ ref('stg_rome__occupation_items') }}
    where is_core
)

select
    links.training_id,
    core_items.skill_code,
    'occupation_core' as origin,
    count(distinct links.rome_code) as occupations_count,
    max(links.confidence) as confidence,
    max(case when core_items.core_level = 'Principale' then 1 else 0 end) = 1 as is_principal_core
from links
inner join core_items on links.rome_code = core_items.rome_code
group by links.training_id, core_items.skill_code
