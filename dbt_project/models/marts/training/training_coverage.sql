-- One row per catalogue source (and one 'all' row): how much of the training supply the run could
-- place, certify and link to occupations and skills. The coverage figures of every run.
with trainings as (
    select training_id, source, commune_code, latitude, rncp_code, is_in_region
    from {{ ref('trainings') }}
),

links as (
    select training_id, min(link_method) as link_method
    from {{ ref('training_occupations') }}
    group by training_id
),

skilled as (
    select
        training_id,
        max(case when origin = 'occupation_core' then 1 else 0 end) as has_core_skills,
        max(case when origin = 'rncp_skill_block' then 1 else 0 end) as has_block_skills,
        max(case when origin = 'content_text' then 1 else 0 end) as has_content_skills
    from {{ ref('training_skills') }}
    group by training_id
),

per_training as (
    select
        trainings.*,
        links.link_method,
        skilled.training_id is not null as has_skills,
        coalesce(skilled.has_core_skills, 0) as has_core_skills,
        coalesce(skilled.has_block_skills, 0) as has_block_skills,
        coalesce(skilled.has_content_skills, 0) as has_content_skills
    from trainings
    left join links on trainings.training_id = links.training_id
    left join skilled on trainings.training_id = skilled.training_id
),

by_source as (
    select
        source,
        cast(count(*) as integer) as trainings_read,
        cast(sum(case when is_in_region then 1 else 0 end) as integer) as trainings_in_region,
        cast(sum(case when commune_code is not null then 1 else 0 end) as integer) as with_place,
        cast(sum(case when latitude is not null then 1 else 0 end) as integer) as with_coordinates,
        cast(sum(case when rncp_code is not null then 1 else 0 end) as integer) as with_rncp,
        cast(sum(case when link_method is not null then 1 else 0 end) as integer) as linked_to_occupation,
        cast(sum(case when link_method = 'catalogue_rome' then 1 else 0 end) as integer) as linked_by_catalogue_rome,
        cast(sum(case when link_method = 'rncp_rome' then 1 else 0 end) as integer) as linked_by_rncp_rome,
        cast(sum(case when link_method = 'cfd_rncp_rome' then 1 else 0 end) as integer) as linked_by_cfd_rncp_rome,
        cast(sum(case when link_method = 'formacode_rome' then 1 else 0 end) as integer) as linked_by_formacode_rome,
        cast(sum(case when link_method = 'title_similarity' then 1 else 0 end) as integer)
            as linked_by_title_similarity,
        cast(sum(case when has_skills then 1 else 0 end) as integer) as with_skills,
        cast(sum(has_core_skills) as integer) as with_occupation_core_skills,
        cast(sum(has_block_skills) as integer) as with_rncp_skill_block_skills,
        cast(sum(has_content_skills) as integer) as with_content_text_skills
    from per_training
    group by source
),

overall as (
    select
        'all' as source,
        cast(sum(trainings_read) as integer) as trainings_read,
        cast(sum(trainings_in_region) as integer) as trainings_in_region,
        cast(sum(with_place) as integer) as with_place,
        cast(sum(with_coordinates) as integer) as with_coordinates,
        cast(sum(with_rncp) as integer) as with_rncp,
        cast(sum(linked_to_occupation) as integer) as linked_to_occupation,
        cast(sum(linked_by_catalogue_rome) as integer) as linked_by_catalogue_rome,
        cast(sum(linked_by_rncp_rome) as integer) as linked_by_rncp_rome,
        cast(sum(linked_by_cfd_rncp_rome) as integer) as linked_by_cfd_rncp_rome,
        cast(sum(linked_by_formacode_rome) as integer) as linked_by_formacode_rome,
        cast(sum(linked_by_title_similarity) as integer) as linked_by_title_similarity,
        cast(sum(with_skills) as integer) as with_skills,
        cast(sum(with_occupation_core_skills) as integer) as with_occupation_core_skills,
        cast(sum(with_rncp_skill_block_skills) as integer) as with_rncp_skill_block_skills,
        cast(sum(with_content_text_skills) as integer) as with_content_text_skills
    from by_source
),

combined as (
    select * from by_source
    union all
    select * from overall
)

select
    *,
    round(cast(with_place as double) / trainings_read, 4) as share_with_place,
    round(cast(linked_to_occupation as double) / trainings_read, 4) as share_linked,
    round(cast(linked_by_catalogue_rome as double) / trainings_read, 4) as share_linked_by_catalogue_rome,
    round(cast(linked_by_rncp_rome as double) / trainings_read, 4) as share_linked_by_rncp_rome,
    round(cast(linked_by_cfd_rncp_rome as double) / trainings_read, 4) as share_linked_by_cfd_rncp_rome,
    round(cast(linked_by_formacode_rome as double) / trainings_read, 4) as share_linked_by_formacode_rome,
    round(cast(linked_by_title_similarity as double) / trainings_read, 4) as share_linked_by_title_similarity,
    round(cast(with_skills as double) / trainings_read, 4) as share_with_skills,
    round(cast(with_occupation_core_skills as double) / trainings_read, 4) as share_with_occupation_core_skills,
    round(cast(with_rncp_skill_block_skills as double) / trainings_read, 4) as share_with_rncp_skill_block_skills,
    round(cast(with_content_text_skills as double) / trainings_read, 4) as share_with_content_text_skills
from combined
