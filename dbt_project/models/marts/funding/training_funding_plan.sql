-- Which trainings to fund now, per territory of the configured region: one row per (territory,
-- training, target occupation) at bassin BMO and zone d'emploi level. Rule and parameters in
-- _funding__models.yml; every figure is a column of an input or a formula written here.
--   demand     BMO projects and difficult projects of the occupation's métier(s) in the bassin BMO
--              of the training's commune (latest survey year), and the postings of the occupation
--              created in the row's territory in the last var funding_postings_window_days days;
--   candidates int_funding_candidates_reached (people: printed only when not suppressed);
--   seats      least(candidates within reach, demand over the horizon);
--   placements seats x the employment rate after training of the training's establishment
--              (InserJeunes), else of the region.
with skills_closed as (
    select
        closed.training_id,
        closed.rome_code,
        count(*) as skills_closed_count,
        string_agg(skills.label, '; ' order by skills.label) as skills_closed
    from {{ ref('int_funding_skills_closed') }} as closed
    inner join {{ ref('skills') }} as skills on closed.skill_code = skills.skill_code
    group by closed.training_id, closed.rome_code
),

reached as (
    select * from {{ ref('int_funding_candidates_reached') }}
),

trainings as (
    select training_id, title, commune_code, establishment_uai, rncp_code
    from {{ ref('trainings') }}
),

communes as (
    select territory_code as commune_code, bassin_bmo_code, zone_emploi_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

territories as (
    select territory_level, territory_code, name as territory_name from {{ ref('territories') }}
),

occupations as (
    select rome_code, label as rome_label, fap2009_code from {{ ref('occupations') }}
),

label_links as (
    select fap2009_code, bmo_metier_code from {{ ref('int_tension_families_mapped') }}
),

bmo_codes as (
    select distinct bmo_metier_code from {{ ref('hiring_needs') }}
),

metiers as (
    -- ROME -> FAP2009 family (occupations.fap2009_code) -> BMO métier(s) (FAP2021 228 level):
    -- first the label matching of int_tension_families_mapped (the families of the tension lists;
    -- a family may map to two métiers, summed), else the code whose structure carries over (same
    -- domain letter and digit, same last two digits, Z -> X or the same third letter: K0Z20 ->
    -- K0X20), the rule int_tension_families_mapped uses to break ties.
    select fap2009_code, bmo_metier_code, 'label_match' as bmo_link from label_links
    union all
    select families.fap2009_code, bmo_codes.bmo_metier_code, 'code_structure'
    from (select distinct fap2009_code from occupations where fap2009_code is not null) as families
    inner join bmo_codes
        on
            substr(bmo_codes.bmo_metier_code, 1, 2) = substr(families.fap2009_code, 1, 2)
            and substr(bmo_codes.bmo_metier_code, 4, 2) = substr(families.fap2009_code, 4, 2)
            and (
                substr(bmo_codes.bmo_metier_code, 3, 1) = substr(families.fap2009_code, 3, 1)
                or (substr(families.fap2009_code, 3, 1) = 'Z' and substr(bmo_codes.bmo_metier_code, 3, 1) = 'X')
            )
    where families.fap2009_code not in (select label_links.fap2009_code from label_links)
),

latest_needs as (
    select bassin_bmo_code, bmo_metier_code, year, projects, difficult_projects
    from {{ ref('hiring_needs') }}
    where is_in_region and year = (select max(year) from {{ ref('hiring_needs') }})
),

placement_rates as (
    select training_id, employment_rate from {{ ref('int_match_trainings_positioned') }}
),

region_rate as (
    select avg(value) as employment_rate
    from {{ ref('int_employment_rates_aggregated') }}
    where
        territory_level = 'region'
        and territory_code = '{{ var("region_code") }}'
        and period = (select max(period) from {{ ref('int_employment_rates_aggregated') }})
),

postings as (
    select
        posting_id,
        coalesce(rome_code, inferred_rome_code) as rome_code,
        bassin_bmo_code,
        zone_emploi_code,
        cast(created_at as date) as created_on
    from {{ ref('job_postings') }}
    where duplicate_of is null and is_in_region
),

window_end as (
    select max(created_on) as last_day from postings
),

recent_postings as (
    select postings.*
    from postings
    cross join window_end
    where postings.created_on > window_end.last_day - to_days({{ var('funding_postings_window_days') }})
),

recent_postings_territories as (
    select 'bassin_bmo' as territory_level, bassin_bmo_code as territory_code, rome_code, posting_id
    from recent_postings where bassin_bmo_code is not null
    union all
    select 'zone_emploi', zone_emploi_code, rome_code, posting_id
    from recent_postings where zone_emploi_code is not null
),

recent_demand as (
    select territory_level, territory_code, rome_code, count(*) as postings_recent
    from recent_postings_territories
    group by territory_level, territory_code, rome_code
),

candidate_rows as (
    select
        reached.training_id,
        reached.rome_code,
        reached.candidates_in_reach,
        reached.is_suppressed,
        reached.suppression_rule,
        reached.low_count,
        reached.is_synthetic,
        trainings.title as training_title,
        trainings.rncp_code,
        trainings.commune_code as training_commune_code,
        communes.bassin_bmo_code as training_bassin_bmo_code,
        communes.zone_emploi_code,
        skills_closed.skills_closed_count,
        skills_closed.skills_closed
    from reached
    inner join skills_closed
        on reached.training_id = skills_closed.training_id and reached.rome_code = skills_closed.rome_code
    inner join trainings on reached.training_id = trainings.training_id
    inner join communes on trainings.commune_code = communes.commune_code
    where reached.candidates_in_reach > 0
),

bmo_demand as (
    select
        candidate_rows.training_id,
        candidate_rows.rome_code,
        string_agg(distinct metiers.bmo_metier_code, ',' order by metiers.bmo_metier_code) as bmo_metier_codes,
        min(metiers.bmo_link) as bmo_link,
        min(latest_needs.year) as bmo_year,
        sum(latest_needs.projects) as bmo_projects,
        sum(latest_needs.difficult_projects) as bmo_difficult_projects
    from candidate_rows
    inner join occupations on candidate_rows.rome_code = occupations.rome_code
    inner join metiers on occupations.fap2009_code = metiers.fap2009_code
    left join latest_needs
        on
            candidate_rows.training_bassin_bmo_code = latest_needs.bassin_bmo_code
            and metiers.bmo_metier_code = latest_needs.bmo_metier_code
    group by candidate_rows.training_id, candidate_rows.rome_code
),

territory_rows as (
    select 'bassin_bmo' as territory_level, training_bassin_bmo_code as territory_code, *
    from candidate_rows where training_bassin_bmo_code is not null
    union all
    select 'zone_emploi', zone_emploi_code, *
    from candidate_rows where zone_emploi_code is not null
),

measured as (
    select
        territory_rows.*,
        bmo_demand.bmo_metier_codes,
        bmo_demand.bmo_link,
        bmo_demand.bmo_year,
        bmo_demand.bmo_projects,
        bmo_demand.bmo_difficult_projects,
        coalesce(recent_demand.postings_recent, 0) as postings_recent,
        case
            when bmo_demand.bmo_difficult_projects is not null
                then
                    cast(ceil(
                        bmo_demand.bmo_difficult_projects * {{ var('funding_horizon_months') }} / 12.0
                    ) as bigint)
            else
                cast(ceil(
                    coalesce(recent_demand.postings_recent, 0) * {{ var('funding_horizon_months') }} * 30.0
                    / {{ var('funding_postings_window_days') }}
                ) as bigint)
        end as demand_over_horizon,
        case
            when bmo_demand.bmo_difficult_projects is not null then 'bmo_difficult_projects'
            else 'postings_recent'
        end as demand_basis,
        coalesce(placement_rates.employment_rate, region_rate.employment_rate) as placement_rate,
        case
            when placement_rates.employment_rate is not null then 'inserjeunes_establishment'
            when region_rate.employment_rate is not null then 'inserjeunes_region'
        end as placement_rate_source
    from territory_rows
    left join bmo_demand
        on territory_rows.training_id = bmo_demand.training_id and territory_rows.rome_code = bmo_demand.rome_code
    left join recent_demand
        on
            territory_rows.territory_level = recent_demand.territory_level
            and territory_rows.territory_code = recent_demand.territory_code
            and territory_rows.rome_code = recent_demand.rome_code
    left join placement_rates on territory_rows.training_id = placement_rates.training_id
    cross join region_rate
),

proposed as (
    select
        *,
        least(candidates_in_reach, demand_over_horizon) as seats_true
    from measured
    where demand_over_horizon >= {{ var('funding_min_demand') }}
),

scored as (
    select
        *,
        case when not is_suppressed then seats_true end as seats_to_fund,
        case when not is_suppressed then round(seats_true * placement_rate, 1) end as expected_placements
    from proposed
),

ranked as (
    select
        *,
        row_number() over (
            partition by territory_level, territory_code
            order by
                is_suppressed,
                expected_placements desc nulls last,
                demand_over_horizon desc,
                placement_rate desc nulls last,
                training_id,
                rome_code
        ) as rank
    from scored
)

select
    ranked.territory_level,
    ranked.territory_code,
    territories.territory_name,
    ranked.rank,
    ranked.training_id,
    ranked.training_title,
    ranked.rncp_code,
    ranked.training_commune_code,
    ranked.rome_code,
    occupations.rome_label,
    ranked.bmo_metier_codes,
    ranked.bmo_link,
    ranked.bmo_year,
    ranked.bmo_projects,
    ranked.bmo_difficult_projects,
    ranked.postings_recent,
    ranked.demand_over_horizon,
    ranked.demand_basis,
    case when not ranked.is_suppressed then ranked.candidates_in_reach end as candidates_in_reach,
    ranked.is_suppressed,
    ranked.suppression_rule,
    ranked.low_count,
    ranked.skills_closed_count,
    ranked.skills_closed,
    ranked.placement_rate,
    ranked.placement_rate_source,
    ranked.seats_to_fund,
    ranked.expected_placements,
    ranked.is_synthetic,
    'passerelle plan: BMO ' || coalesce(cast(ranked.bmo_year as varchar), 'n/a')
    || ', France Travail postings, InserJeunes, trainings catalogue; candidates'
    || case when ranked.is_synthetic then ' (SYNTHETIC candidates, not real people)' else '' end as source
from ranked
left join territories
    on ranked.territory_level = territories.territory_level and ranked.territory_code = territories.territory_code
left join occupations on ranked.rome_code = occupations.rome_code
