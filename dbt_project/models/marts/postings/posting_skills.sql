-- One row per (posting, skill, origin): the union of one intermediate model per origin.
-- 'structured' rows come from the offers' own competences lists; 'text' rows are named by a span
-- of the posting's title or description (the span is the evidence); 'occupation_prior' rows are
-- typical of the posting's occupation with no span (matching.extract, with score).
--
-- Incremental (delete+insert on posting_id: every row of a changed posting is replaced): a build
-- rewrites only the postings whose rows differ from the stored ones, in either direction (a row
-- added, changed or gone). Postings left with no row at all are deleted (post-hook). A full
-- refresh gives the same rows (tests/e2e/test_incremental_nights.py).
{{
    config(
        materialized='incremental',
        unique_key='posting_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        post_hook="
            delete from {{ this }} where posting_id not in (
                select posting_id from {{ ref('int_posting_skills_structured') }}
                union
                select posting_id from {{ ref('int_posting_skills_extracted') }}
            )"
    )
}}

with structured as (
    select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
    from {{ ref('int_posting_skills_structured') }}
),

extracted as (
    select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
    from {{ ref('int_posting_skills_extracted') }}
),

unioned as (
    select * from structured
    union all
    select * from extracted
),

{% if is_incremental() %}
    stored as (
        select posting_id, skill_code, origin, requirement, requirement_code, score, evidence
        from {{ this }}
    ),

    added as (
        select * from unioned
        except all
        select * from stored
    ),

    removed as (
        select * from stored
        except all
        select * from unioned
    ),

    changed as (
        select posting_id from added
        union
        select posting_id from removed
    )
{% else %}
    changed as (
        select distinct posting_id from unioned
    )
{% endif %}

select * from unioned
where posting_id in (select posting_id from changed)
