-- One row per (month, territory, ROME code) with at least one posting: postings for the
-- occupation and their share of the territory's postings that month. Near duplicates excluded.
-- Postings whose ROME code was set aside (unknown to the referential) count in postings_total
-- but in no occupation's row, so the shares of a territory-month may sum to less than 1.
with posting_territories as (
    select * from {{ ref('int_job_postings_territories_unpivoted') }}
),

totals as (
    select month, territory_level, territory_code, count(distinct posting_id) as postings_total
    from posting_territories
    group by month, territory_level, territory_code
),

by_occupation as (
    select month, territory_level, territory_code, rome_code, count(distinct posting_id) as postings
    from posting_territories
    -- a posting whose ROME code is unknown to the referential counts in the total only
    where rome_code is not null
    group by month, territory_level, territory_code, rome_code
)

select
    by_occupation.month,
    by_occupation.territory_level,
    by_occupation.territory_code,
    by_occupation.rome_code,
    by_occupation.postings,
    totals.postings_total,
    1.0 * by_occupation.postings / totals.postings_total as share
from by_occupation
inner join totals
    on
        by_occupation.month = totals.month
        and by_occupation.territory_level = totals.territory_level
        and by_occupation.territory_code = totals.territory_code
