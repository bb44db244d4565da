-- The matching funnel by territory and occupation family (ROME 4.0 grand domaine, the code's
-- first letter; 'all' for every family), in two units that are never mixed:
-- postings of the region (with a candidate, whose best candidate needs training, with a closing
-- training), by the posting's territory and family; and candidates (people: matched, needing
-- training, with a closing training), by the territory of their commune and the family of the
-- first occupation they seek. Counts of people go through statistical secrecy in
-- int_outcome_indicators_protected; these are the raw counts and stay in the warehouse.
with matches as (
    select * from {{ ref('posting_candidate_matches') }}
),

posting_outcomes as (
    select
        posting_id,
        bool_or(rank = 1 and is_training_needed) as needs_training,
        bool_or(closing_training_id is not null) as has_closing_training
    from matches
    group by posting_id
),

region_postings as (
    select
        territories.territory_level, territories.territory_code, territories.posting_id,
        -- the grand domaine letter of the code as published, which a code unknown to the ROME
        -- referential still has (job_postings.rome_code is NULL for it)
        left(postings.source_rome_code, 1) as family,
        posting_outcomes.posting_id is not null as has_candidate,
        coalesce(posting_outcomes.needs_training, false) as needs_training,
        coalesce(posting_outcomes.needs_training and posting_outcomes.has_closing_training, false)
            as has_closing_training
    from {{ ref('int_job_postings_territories_unpivoted') }} as territories
    join {{ ref('job_postings') }} as postings using (posting_id)
    left join posting_outcomes using (posting_id)
    where postings.is_in_region
),

candidate_outcomes as (
    -- A candidate's best match is their highest score (then the nearer posting).
    select
        candidate_id,
        arg_min(is_training_needed, (-score, distance_km, posting_id)) as needs_training,
        bool_or(closing_training_id is not null) as has_closing_training
    from matches
    group by candidate_id
),

communes as (
    select territory_code as commune_code, region_code, departement_code, zone_emploi_code, bassin_bmo_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

people as (
    select
        candidates.candidate_id,
        candidates.is_synthetic,
        left(profiles.sought_rome_codes, 1) as family,
        communes.*,
        candidate_outcomes.candidate_id is not null as is_matched,
        coalesce(candidate_outcomes.needs_training, false) as needs_training,
        coalesce(candidate_outcomes.needs_training and candidate_outcomes.has_closing_training, false)
            as has_closing_training
    from {{ ref('int_candidates_located') }} as candidates
    join (select candidate_id, sought_rome_codes from {{ ref('stg_candidates__profiles') }}) as profiles
        using (candidate_id)
    join communes using (commune_code)
    left join candidate_outcomes using (candidate_id)
),

people_territories as (
    select
        'region' as territory_level,
        region_code as territory_code,
        * exclude (region_code, departement_code, zone_emploi_code, bassin_bmo_code, commune_code)
    from people
    union all
    select
        'departement',
        departement_code,
        * exclude (region_code, departement_code, zone_emploi_code, bassin_bmo_code, commune_code)
    from people
    union all
    select
        'zone_emploi',
        zone_emploi_code,
        * exclude (region_code, departement_code, zone_emploi_code, bassin_bmo_code, commune_code)
    from people
    union all
    select
        'bassin_bmo',
        bassin_bmo_code,
        * exclude (region_code, departement_code, zone_emploi_code, bassin_bmo_code, commune_code)
    from people
),

synthetic as (
    select coalesce(bool_or(is_synthetic), false) as is_synthetic from people
),

postings_counted as (
    select
        territory_level, territory_code, coalesce(family, 'all') as breakdown_code,
        count(*) as stage_0,
        count(*) filter (where has_candidate) as stage_1,
        count(*) filter (where needs_training) as stage_2,
        count(*) filter (where has_closing_training) as stage_3
    from region_postings
    group by grouping sets ((territory_level, territory_code, family), (territory_level, territory_code))
),

people_counted as (
    select
        territory_level, territory_code, coalesce(family, 'all') as breakdown_code,
        count(*) as stage_0,
        count(*) filter (where is_matched) as stage_1,
        count(*) filter (where needs_training) as stage_2,
        count(*) filter (where has_closing_training) as stage_3
    from people_territories
    where territory_code is not null
    group by grouping sets ((territory_level, territory_code, family), (territory_level, territory_code))
),

steps as (
    select
        territory_level, territory_code, breakdown_code, 'funnel_postings' as indicator_code,
        stage_0 as numerator, stage_0 as denominator, 'passerelle job_postings' as source
    from postings_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_postings_with_candidate', stage_1, stage_0,
        'passerelle candidate matches'
    from postings_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_postings_needing_training', stage_2, stage_0,
        'passerelle candidate matches'
    from postings_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_postings_with_closing_training', stage_3, stage_0,
        'passerelle candidate matches'
    from postings_counted
    union all
    select
        -- every candidate is both the count and the base of this first stage
        territory_level, territory_code, breakdown_code, 'funnel_candidates', stage_0, stage_0,  -- noqa: AL08
        'passerelle candidates'
    from people_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_candidates_matched', stage_1, stage_0,
        'passerelle candidate matches'
    from people_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_candidates_needing_training', stage_2, stage_1,
        'passerelle candidate matches'
    from people_counted
    union all
    select
        territory_level, territory_code, breakdown_code, 'funnel_candidates_with_closing_training', stage_3, stage_2,
        'passerelle candidate matches'
    from people_counted
)

select
    steps.territory_level,
    steps.territory_code,
    'snapshot' as period,
    steps.indicator_code,
    steps.breakdown_code,
    cast(steps.numerator as double) as value,
    cast(steps.numerator as bigint) as numerator,
    cast(steps.denominator as bigint) as denominator,
    cast(null as bigint) as observations,
    -- Built on the SYNTHETIC candidates when the operator gave no file: said in every row.
    steps.source || case
        when synthetic.is_synthetic and steps.indicator_code <> 'funnel_postings'
            then ' (SYNTHETIC candidates, not real people)'
        else ''
    end as source
from steps
cross join synthetic
