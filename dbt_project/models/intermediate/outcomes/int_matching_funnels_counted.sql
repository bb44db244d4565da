-- The matching funnel, by territory of the region's postings: postings; with at least one
-- candidate; of which needing training (their best candidate lacks a skill); of which with a
-- closing training (some matched candidate has a nearby training teaching part of their gap).
with matches as (
    select posting_id,
           true as has_candidate,
           bool_or(rank = 1 and is_training_needed) as needs_training,
           bool_or(closing_training_id is not null) as has_closing_training
    from {{ ref('posting_candidate_matches') }}
    group by posting_id
),

region_postings as (
    select territories.territory_level, territories.territory_code, territories.posting_id,
           coalesce(matches.has_candidate, false) as has_candidate,
           coalesce(matches.needs_training, false) as needs_training,
           coalesce(matches.needs_training and matches.has_closing_training, false) as has_closing_training
    from {{ ref('int_job_postings_territories_unpivoted') }} as territories
    join {{ ref('job_postings') }} as postings using (posting_id)
    left join matches using (posting_id)
    where postings.is_in_region
),

counted as (
    select territory_level, territory_code,
           count(*) as postings,
           sum(case when has_candidate then 1 else 0 end) as with_candidate,
           sum(case when needs_training then 1 else 0 end) as needing_training,
           sum(case when has_closing_training then 1 else 0 end) as with_closing_training
    from region_postings
    group by territory_level, territory_code
),

steps as (
    select territory_level, territory_code, 'funnel_postings' as indicator_code, postings as numerator, postings as denominator from counted
    union all
    select territory_level, territory_code, 'funnel_postings_with_candidate', with_candidate, postings from counted
    union all
    select territory_level, territory_code, 'funnel_postings_needing_training', needing_training, postings from counted
    union all
    select territory_level, territory_code, 'funnel_postings_with_closing_training', with_closing_training, postings from counted
)

select
    territory_level,
    territory_code,
    'snapshot' as period,
    indicator_code,
    'all' as breakdown_code,
    cast(numerator as double) as value,
    cast(numerator as bigint) as numerator,
    cast(denominator as bigint) as denominator,
    cast(null as bigint) as observations,
    'passerelle posting_candidate_matches' as source
from steps
