-- The last link method, title_similarity (rank 5): the ROME fiches whose labels and appellations
-- are most similar to the training's title and content (matching.training_links, threshold chosen
-- on the trainings whose codes are known). Only trainings that no method of
-- int_training_occupations_linked links: a similarity never competes with a code a source gives.
with title_links as (
    select * from {{ ref('stg_matching__training_title_links') }}
),

linked as (
    select distinct training_id from {{ ref('int_training_occupations_linked') }}
)

select
    title_links.training_id,
    title_links.rome_code,
    'title_similarity' as link_method,
    'rome_labels' as link_table,
    5 as method_rank,
    title_links.similarity,
    title_links.link_rank
from title_links
left join linked on title_links.training_id = linked.training_id
where linked.training_id is null
