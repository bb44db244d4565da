-- One row per (month, territory, skill) with at least one posting asking for the skill:
-- postings asking for it, postings in that territory and month, and the share. A skill counts
-- once per posting whatever its origin(s); near duplicates are excluded.
with posting_territories as (
    select * from {{ ref('int_job_postings_territories_unpivoted') }}
),

posting_skills as (
    select distinct posting_id, skill_code
    from {{ ref('posting_skills') }}
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
        count(distinct posting_territories.posting_id) as postings_with_skill
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
    totals.postings_total,
    1.0 * with_skill.postings_with_skill / totals.postings_total as share
from with_skill
inner join totals
    on with_skill.month = totals.month
    and with_skill.territory_level = totals.territory_level
    and with_skill.territory_code = totals.territory_code
