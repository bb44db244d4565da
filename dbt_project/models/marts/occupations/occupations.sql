with occupations as (
    select * from {{ ref('stg_rome__occupations') }}
),

domains as (
    select * from {{ ref('stg_rome__occupation_domains') }}
),

fap2009_links as (
    select * from {{ ref('int_rome_fap2009_links_ranked') }}
),

fap2009_families as (
    select * from {{ ref('stg_fap__fap2009_families') }}
),

isco08 as (
    select * from {{ ref('stg_rome_crosswalks__rome_isco08_mappings') }}
),

parent_fap2009 as (
    select
        rome_v3_code,
        max(case when is_primary then fap2009_code end) as fap2009_code,
        string_agg(fap2009_code, ',' order by fap2009_rank) as fap2009_codes,
        count(*) as fap2009_code_count,
        max(case when is_by_qualification then 1 else 0 end) = 1 as is_fap2009_by_qualification
    from fap2009_links
    group by rome_v3_code
),

joined as (
    select
        occupations.rome_code,
        occupations.label,
        parent_fap2009.fap2009_code,
        fap2009_families.label as fap2009_label,
        parent_fap2009.fap2009_codes,
        parent_fap2009.fap2009_code_count,
        parent_fap2009.is_fap2009_by_qualification,
        isco08.isco08_code,
        isco08.isco08_label,
        coalesce(domains.professional_domain_code = 'M18', false) as is_in_digital_domain,
        coalesce(occupations.is_digital_transition, false) as is_digital_transition,
        domains.professional_domain_code,
        domains.professional_domain_label,
        domains.grand_domain_code,
        domains.grand_domain_label,
        occupations.parent_rome_code,
        occupations.rome_code = occupations.parent_rome_code as is_historic_rome_code,
        occupations.ecological_transition_label,
        coalesce(occupations.is_demographic_transition, false) as is_demographic_transition,
        coalesce(occupations.is_regulated, false) as is_regulated,
        coalesce(occupations.is_managerial, false) as is_managerial,
        occupations.occupation_ogr_code
    from occupations
    left join domains
        on occupations.rome_code = domains.rome_code
    left join parent_fap2009
        on occupations.parent_rome_code = parent_fap2009.rome_v3_code
    left join fap2009_families
        on parent_fap2009.fap2009_code = fap2009_families.fap2009_code
    left join isco08
        on occupations.parent_rome_code = isco08.rome_v3_code
)

select
    rome_code,
    label,
    fap2009_code,
    fap2009_label,
    fap2009_codes,
    fap2009_code_count,
    is_fap2009_by_qualification,
    isco08_code,
    isco08_label,
    -- digital = in the ROME digital domain (M18) and flagged by France Travail as a digital-transition job
    is_in_digital_domain and is_digital_transition as is_digital,
    is_in_digital_domain,
    is_digital_transition,
    professional_domain_code,
    professional_domain_label,
    grand_domain_code,
    grand_domain_label,
    parent_rome_code,
    is_historic_rome_code,
    ecological_transition_label,
    is_demographic_transition,
    is_regulated,
    is_managerial,
    occupation_ogr_code
from joined
