-- One row per (month, territory, skill) with at least one posting asking for the skill, by any
-- origin: postings asking for it (postings_with_skill, the default figure: structured, text or
-- occupation_prior), the same count per origin, postings in that territory and month, and the
-- share. A skill counts once per posting in each column; near duplicates are excluded.
--
-- Incremental by month (delete+insert on month: every row of a recomputed month is replaced).
-- Each build records, month by month, a signature of its inputs (macro
-- skill_demand_input_signatures; post-hook, in the build's transaction); the next build
-- recomputes only the months whose inputs differ from the recorded ones: the months of the new
-- and re-read postings, and those a changed near-duplicate flag, place or skill list reaches.
-- Months left without any row are deleted. A full refresh gives the same rows
-- (tests/e2e/test_incremental_nights.py).
{{
    config(
        materialized='incremental',
        unique_key='month',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="
            create table if not exists {{ skill_demand_signatures_relation() }}
            (month date, input_rows bigint, input_hash_sum hugeint)",
        post_hook=[
            "delete from {{ this }} where month not in (
                select territories.month
                from {{ ref('int_job_postings_territories_unpivoted') }} as territories
                semi join {{ ref('posting_skills') }} as skills on territories.posting_id = skills.posting_id
            )",
            "create or replace table {{ skill_demand_signatures_relation() }} as
            {{ skill_demand_input_signatures(ref('int_job_postings_territories_unpivoted'), ref('posting_skills')) }}",
        ]
    )
}}

with

{% if is_incremental() %}
    signatures as (
        {{ skill_demand_input_signatures(ref('int_job_postings_territories_unpivoted'), ref('posting_skills')) }}
    ),

    recorded as (
        select month, input_rows, input_hash_sum from {{ skill_demand_signatures_relation() }}
    ),

    new_signatures as (
        select month, input_rows, input_hash_sum from signatures
        except
        select month, input_rows, input_hash_sum from recorded
    ),

    old_signatures as (
        select month, input_rows, input_hash_sum from recorded
        except
        select month, input_rows, input_hash_sum from signatures
    ),

    touched_months as (
        select month from new_signatures
        union
        select month from old_signatures
    ),
{% endif %}

posting_territories as (
    select * from {{ ref('int_job_postings_territories_unpivoted') }}
    {% if is_incremental() %}
        where month in (select month from touched_months)
    {% endif %}
),

posting_skills as (
    select
        posting_id,
        skill_code,
        bool_or(origin = 'structured') as is_structured,
        bool_or(origin = 'text') as is_in_text,
        bool_or(origin = 'occupation_prior') as is_occupation_prior
    from {{ ref('posting_skills') }}
    {% if is_incremental() %}
        where posting_id in (select posting_id from posting_territories)
    {% endif %}
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
