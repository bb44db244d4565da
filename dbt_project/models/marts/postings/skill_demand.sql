-- One row per (month, territory, skill) with at least one posting asking for the skill, by any
-- origin: postings asking for it (postings_with_skill, the default figure: structured, text or
-- occupation_prior), the same count per origin, postings in that territory and month, and the
-- share. A skill counts once per posting in each column; near duplicates are excluded.
with posting_territories as (
    select * from {{ ref('int_job_postings_territories_unpivoted') }}
),

posting_skills as (
    select
        posting_id,
        skill_code,
        bool_or(origin = 'structured') as is_structured,
        bool_or(origin = 'text') as is_in_text,
        bool_or(origin = 'occupation_prior') as is_occupation_prior
    from {{ ref('posting_skills') }}
    group by posting_id, skill_code
),

totals as (
    select month, territory_level, territory_code, count(distinct posting_id) as postings_total
    from posting_territories
    group by month, territory_level, territory_code
),

with_skill as (
    select
        posting_territories.month,
        posting_territories.territory_level,
        posting_territories.territory_code,
        posting_skills.skill_code,
        count(distinct posting_territories.posting_id) as postings_with_skill,
        count(distinct posting_territories.posting_id)
        filter (where posting_skills.is_structured or posting_skills.is_in_text) as postings_asking,
        count(distinct posting_territories.posting_id)
        filter (where posting_skills.is_structured) as postings_structured,
        count(distinct posting_territories.posting_id)
        filter (where posting_skills.is_in_text) as postings_in_text,
        count(distinct posting_territories.posting_id)
        filter (where posting_skills.is_occupation_prior) as postings_occupation_prior
    from posting_territories
    inner join posting_skills
        on posting_territories.posting_id = posting_skills.posting_id
    group by
        posting_territories.month,
        posting_territories.territory_level,
        posting_territories.territory_code,
        posting_skills.skill_code
)

select
    with_skill.month,
    with_skill.territory_level,
    with_skill.territory_code,
    with_skill.skill_code,
    with_skill.postings_with_skill,
    with_skill.postings_asking,
    with_skill.postings_structured,
    with_skill.postings_in_text,
    with_skill.postings_occupation_prior,
    totals.postings_total,
    1.0 * with_skill.postings_with_skill / totals.postings_total as share,
    1.0 * with_skill.postings_asking / totals.postings_total as share_asking
from with_skill
inner join totals
    on
        with_skill.month = totals.month
        and with_skill.territory_level = totals.territory_level
        and with_skill.territory_code = totals.territory_code
