-- BMO hiring needs for all of France, one row per (year, bassin, BMO métier). The survey
-- publishes one row per (bassin, département, métier); a bassin spanning two départements has
-- two rows, summed here. Secret cells stay NULL: a sum is NULL when every part is secret, and
-- when only some parts are secret the sum of the published parts is kept and flagged
-- (is_..._partial), so that totals over any area equal the published (non-secret) figures.
with projects as (
    select * from {{ ref('stg_bmo__hiring_projects') }}
),

territories as (
    select * from {{ ref('territories') }}
),

tension as (
    select * from {{ ref('int_tension_metiers_listed') }}
),

regional_lists as (
    select distinct region_code from tension where is_on_regional_list
),

aggregated as (
    select
        year,
        bassin_bmo_code,
        bmo_metier_code,
        min(bmo_metier_label) as bmo_metier_label,
        min(bmo_family_code) as bmo_family_code,
        min(bmo_family_label) as bmo_family_label,
        min(region_code) as region_code,
        count(*) as source_rows,
        cast(sum(projects) as bigint) as projects,
        cast(sum(difficult_projects) as bigint) as difficult_projects,
        cast(sum(seasonal_projects) as bigint) as seasonal_projects,
        count(projects) as published_projects_parts,
        count(difficult_projects) as published_difficult_parts,
        count(seasonal_projects) as published_seasonal_parts
    from projects
    group by year, bassin_bmo_code, bmo_metier_code
),

final as (
    select
        aggregated.year,
        aggregated.bassin_bmo_code,
        aggregated.bmo_metier_code,
        aggregated.bmo_metier_label,
        aggregated.bmo_family_code,
        aggregated.bmo_family_label,
        bassins.name as bassin_bmo_name,
        aggregated.region_code,
        bassins.departement_code,
        aggregated.projects,
        aggregated.difficult_projects,
        aggregated.seasonal_projects,
        case
            when
                aggregated.projects > 0
                and aggregated.difficult_projects is not null
                and aggregated.published_projects_parts = aggregated.source_rows
                and aggregated.published_difficult_parts = aggregated.source_rows
                then cast(aggregated.difficult_projects as double) / aggregated.projects
        end as difficulty_rate,
        aggregated.published_projects_parts between 1 and aggregated.source_rows - 1 as is_projects_partial,
        aggregated.published_difficult_parts between 1 and aggregated.source_rows - 1 as is_difficult_partial,
        aggregated.published_seasonal_parts between 1 and aggregated.source_rows - 1 as is_seasonal_partial,
        aggregated.source_rows,
        tension.bmo_metier_code is not null as is_en_tension,
        coalesce(tension.is_on_regional_list, false) as is_on_regional_tension_list,
        coalesce(tension.is_on_national_list, false) as is_on_national_tension_list,
        tension.fap2009_code as tension_fap2009_code,
        regional_lists.region_code is not null as has_regional_tension_list,
        coalesce(aggregated.region_code = '{{ var("region_code") }}', false) as is_in_region
    from aggregated
    left join territories as bassins
        on bassins.territory_level = 'bassin_bmo' and bassins.territory_code = aggregated.bassin_bmo_code
    left join tension
        on tension.region_code = aggregated.region_code and tension.bmo_metier_code = aggregated.bmo_metier_code
    left join regional_lists on regional_lists.region_code = aggregated.region_code
)

select * from final
