-- The matching funnel for analysts and the report, by territory and occupation family: one row per
-- (territory, family, stage), read from outcome_indicators, so it carries exactly the statistical
-- secrecy applied there (counts of people suppressed below 5 with secondary suppression, flagged
-- below 20; counts of postings are not people and are shown). No row is about one person.
with funnel as (
    select * from {{ ref('outcome_indicators') }}
    where indicator_code like 'funnel\_%' escape '\'
),

stages as (
    select * from (
        values
        ('funnel_postings', 'postings', 0, 'postings'),
        ('funnel_postings_with_candidate', 'postings', 1, 'with_candidate'),
        ('funnel_postings_needing_training', 'postings', 2, 'needing_training'),
        ('funnel_postings_with_closing_training', 'postings', 3, 'with_closing_training'),
        ('funnel_candidates', 'people', 0, 'candidates'),
        ('funnel_candidates_matched', 'people', 1, 'matched'),
        ('funnel_candidates_needing_training', 'people', 2, 'needing_training'),
        ('funnel_candidates_with_closing_training', 'people', 3, 'with_closing_training')
    ) as stages (indicator_code, counted_unit, stage_order, stage)
),

families as (
    select distinct grand_domain_code as occupation_family, grand_domain_label as occupation_family_label
    from {{ ref('occupations') }}
    where grand_domain_code is not null
),

territories as (
    select territory_level, territory_code, name as territory_name from {{ ref('territories') }}
)

select
    funnel.territory_level,
    funnel.territory_code,
    territories.territory_name,
    funnel.breakdown_code as occupation_family,
    coalesce(families.occupation_family_label, 'all families') as occupation_family_label,
    stages.counted_unit,
    stages.stage_order,
    stages.stage,
    cast(funnel.numerator as bigint) as count,
    -- the stage it is a part of (the count of stage 0 for the postings, the previous stage for people)
    case when stages.stage_order > 0 then funnel.denominator end as of_count,
    case when stages.stage_order > 0 then funnel.numerator / nullif(funnel.denominator, 0) end as share,
    funnel.is_suppressed,
    funnel.low_count,
    funnel.source like '%SYNTHETIC%' as is_synthetic,
    funnel.source
from funnel
join stages using (indicator_code)
left join territories using (territory_level, territory_code)
left join families on families.occupation_family = funnel.breakdown_code
