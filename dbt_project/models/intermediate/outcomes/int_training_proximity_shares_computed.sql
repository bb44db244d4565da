-- Share of the region's postings with at least one matching training within 30 km (their best
-- training match was found at the 30 km radius), by territory of the posting.
with matched_postings as (
    select posting_id, bool_or(radius_km = 30) as has_training_within_30_km
    from {{ ref('posting_training_matches') }}
    group by posting_id
),

region_postings as (
    select
        territories.territory_level, territories.territory_code, territories.posting_id,
        coalesce(matched_postings.has_training_within_30_km, false) as has_training_within_30_km
    from {{ ref('int_job_postings_territories_unpivoted') }} as territories
    join {{ ref('job_postings') }} as postings using (posting_id)
    left join matched_postings using (posting_id)
    where postings.is_in_region
)

select
    territory_level,
    territory_code,
    'snapshot' as period,
    'postings_with_training_within_30_km_share' as indicator_code,
    'all' as breakdown_code,
    avg(case when has_training_within_30_km then 1.0 else 0.0 end) as value,
    cast(sum(case when has_training_within_30_km then 1 else 0 end) as bigint) as numerator,
    cast(count(*) as bigint) as denominator,
    cast(null as bigint) as observations,
    'passerelle posting_training_matches' as source
from region_postings
group by territory_level, territory_code
