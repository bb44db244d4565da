-- One row per (training, ROME code): the occupations a training leads to, from the most trusted
-- method that gives the training at least one code (int_training_occupations_linked, then the
-- title similarity of int_training_occupations_matched for trainings none of those links).
-- A lower-trust method never adds codes to a training that a higher one already links.
with candidates as (
    select training_id, rome_code, link_method, link_table, method_rank, cast(null as double) as similarity
    from {{ ref('int_training_occupations_linked') }}
    union all
    select training_id, rome_code, link_method, link_table, method_rank, similarity
    from {{ ref('int_training_occupations_matched') }}
),

occupations as (
    select rome_code, parent_rome_code from {{ ref('stg_rome__occupations') }}
),

best_method as (
    select training_id, min(method_rank) as method_rank
    from candidates
    group by training_id
),

kept as (
    select
        candidates.training_id,
        candidates.rome_code,
        candidates.link_method,
        candidates.method_rank,
        min(candidates.link_table) as link_table,
        max(candidates.similarity) as similarity
    from candidates
    inner join best_method
        on
            candidates.training_id = best_method.training_id
            and candidates.method_rank = best_method.method_rank
    group by candidates.training_id, candidates.rome_code, candidates.link_method, candidates.method_rank
)

select
    kept.training_id,
    kept.rome_code,
    kept.link_method,
    case kept.link_method
        when 'catalogue_rome' then 1.0
        when 'rncp_rome' then 0.8
        when 'cfd_rncp_rome' then 0.7
        when 'formacode_rome' then 0.4
        when 'title_similarity' then kept.similarity
    end as confidence,
    kept.link_table,
    occupations.parent_rome_code,
    kept.rome_code = occupations.parent_rome_code as is_historic_v3_code
from kept
inner join occupations on kept.rome_code = occupations.rome_code
