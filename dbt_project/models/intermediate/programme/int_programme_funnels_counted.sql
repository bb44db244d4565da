-- The programme funnel (applications -> trainees -> completed -> followed and in work at 6 and
-- 12 months), in the long form of outcome indicators, by territory of residence (région,
-- département, zone d'emploi, bassin BMO) and by the margins of two breakdowns. breakdown_code
-- is 'programme=<code>;sex=<F, M, unknown or all>;training=<training_id, none or all>': the
-- total (sex=all;training=all), by sex (training=all) and by training (sex=all). matching/secrecy.py
-- protects each dimension's parts against its 'all' total. Counts of people go through statistical
-- secrecy in int_outcome_indicators_protected; these are the raw counts and stay in the warehouse.
with participants as (
    select
        participants.*,
        coalesce(participants.gender, 'unknown') as sex,
        coalesce(participants.training_id, 'none') as training,
        communes.region_code,
        communes.departement_code,
        communes.zone_emploi_code,
        communes.bassin_bmo_code
    from {{ ref('stg_programme__participants') }} as participants
    -- codes of former communes resolve to their 2024 commune, as the candidates' do; a code that
    -- is no 2024 commune is counted in no territory (tests/e2e/test_funding_plan.py checks that
    -- the region counts every application of the bundled cohort)
    left join {{ ref('int_communes_resolved') }} as resolved
        on participants.commune_code = resolved.commune_code_seen
    left join (
        select territory_code as commune_code, region_code, departement_code, zone_emploi_code, bassin_bmo_code
        from {{ ref('territories') }}
        where territory_level = 'commune'
    ) as communes on coalesce(resolved.commune_code, participants.commune_code) = communes.commune_code
),

placed as (
    select 'region' as territory_level, region_code as territory_code, * from participants
    union all
    select 'departement', departement_code, * from participants
    union all
    select 'zone_emploi', zone_emploi_code, * from participants
    union all
    select 'bassin_bmo', bassin_bmo_code, * from participants
),

counted as (
    select
        territory_level,
        territory_code,
        programme_code,
        coalesce(sex, 'all') as sex,
        coalesce(training, 'all') as training,
        count(*) as applications,
        count(*) filter (where is_selected) as trainees,
        count(*) filter (where has_completed) as completed,
        count(*) filter (where has_completed and employed_6_months is not null) as followed_6_months,
        count(*) filter (where has_completed and employed_6_months) as in_work_6_months,
        count(*) filter (where has_completed and employed_12_months is not null) as followed_12_months,
        count(*) filter (where has_completed and employed_12_months) as in_work_12_months,
        bool_or(is_synthetic) as is_synthetic
    from placed
    where territory_code is not null
    group by grouping sets (
        (territory_level, territory_code, programme_code),
        (territory_level, territory_code, programme_code, sex),
        (territory_level, territory_code, programme_code, training)
    )
),

steps as (
    select *, 'programme_applications' as indicator_code, applications as numerator, applications as denominator
    from counted
    union all
    select *, 'programme_trainees', trainees, applications from counted
    union all
    select *, 'programme_completed', completed, trainees from counted
    union all
    select *, 'programme_followed_6_months', followed_6_months, completed from counted
    union all
    select *, 'programme_in_work_6_months', in_work_6_months, followed_6_months from counted
    union all
    select *, 'programme_followed_12_months', followed_12_months, completed from counted
    union all
    select *, 'programme_in_work_12_months', in_work_12_months, followed_12_months from counted
)

select
    territory_level,
    territory_code,
    'snapshot' as period,
    indicator_code,
    'programme=' || programme_code || ';sex=' || sex || ';training=' || training as breakdown_code,
    case when denominator > 0 then cast(numerator as double) / denominator end as value,
    cast(numerator as bigint) as numerator,
    cast(denominator as bigint) as denominator,
    cast(null as bigint) as observations,
    'passerelle programme follow-up'
    || case when is_synthetic then ' (SYNTHETIC cohort, not real people)' else ' (operator file)' end as source
from steps
