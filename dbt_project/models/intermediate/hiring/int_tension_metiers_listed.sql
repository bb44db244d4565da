-- One row per (région, BMO métier) in tension in March 2024: the région's own list, plus the
-- national list ('France Entière') which applies to every région. The lists name FAP2009
-- families; int_tension_families_mapped carries them to BMO (FAP2021) métiers.
with listed as (
    select * from {{ ref('stg_bmo__tension_occupations') }}
),

regions as (
    select * from {{ ref('stg_geography__regions') }}
),

mapped as (
    select * from {{ ref('int_tension_families_mapped') }}
),

regional as (
    select regions.region_code, listed.fap2009_code, 'regional' as list_kind
    from listed
    inner join regions on regions.name_normalized = listed.region_name_normalized
    where not listed.is_national_list
),

national as (
    select regions.region_code, listed.fap2009_code, 'national' as list_kind
    from listed
    cross join regions
    where listed.is_national_list
),

families as (
    select * from regional
    union all
    select * from national
)

select
    families.region_code,
    mapped.bmo_metier_code,
    max(case when families.list_kind = 'regional' then 1 else 0 end) = 1 as is_on_regional_list,
    max(case when families.list_kind = 'national' then 1 else 0 end) = 1 as is_on_national_list,
    min(families.fap2009_code) as fap2009_code,
    count(distinct families.fap2009_code) as fap2009_families
from families
inner join mapped on mapped.fap2009_code = families.fap2009_code
group by families.region_code, mapped.bmo_metier_code
