{#-
    The skills the matchers compare: one row per (posting of int_match_postings_positioned, ROME
    item), whatever the origins that found it, with the strongest requirement and the item's label.
-#}
with posting_skills as (
    select posting_id, skill_code, requirement
    from {{ ref('posting_skills') }}
    where posting_id in (select posting_id from {{ ref('int_match_postings_positioned') }})
),

skills as (
    select skill_code, label
    from {{ ref('skills') }}
)

select
    posting_skills.posting_id,
    posting_skills.skill_code,
    max(posting_skills.requirement) as requirement,
    any_value(skills.label) as label
from posting_skills
inner join skills
    on posting_skills.skill_code = skills.skill_code
group by posting_skills.posting_id, posting_skills.skill_code
