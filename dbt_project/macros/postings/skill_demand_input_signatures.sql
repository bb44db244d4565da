{#-
    What skill_demand is computed from, signed month by month: one row per month with the number
    of input rows and the sum of their 64-bit hashes, over the month's (posting, territory) rows of
    int_job_postings_territories_unpivoted and the posting_skills rows (posting, skill, origin) of
    the postings counted that month. A month whose signature differs from the one recorded when
    skill_demand was last built has changed inputs; an unchanged month is skipped by the
    incremental build. Two different sets of rows with the same count and hash sum would go
    unnoticed: a chance of about 2^-64 per changed month.
-#}
{% macro skill_demand_input_signatures(posting_territories, posting_skills) -%}
    with posting_months as (
        select distinct posting_id, month from {{ posting_territories }}
    ),

    input_rows as (
        select month, hash('territory', posting_id, territory_level, territory_code) as row_hash
        from {{ posting_territories }}
        union all
        select posting_months.month, hash('skill', skills.posting_id, skills.skill_code, skills.origin)
        from {{ posting_skills }} as skills
        inner join posting_months on skills.posting_id = posting_months.posting_id
    )

    select month, count(*) as input_rows, sum(cast(row_hash as hugeint)) as input_hash_sum
    from input_rows
    group by month
{%- endmacro %}

{#- Where skill_demand records the signatures of the inputs it was built from (its hooks). -#}
{% macro skill_demand_signatures_relation() -%}
    intermediate.skill_demand_input_signatures
{%- endmacro %}
