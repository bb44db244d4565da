-- The unioned trainings with their place resolved to COG 2024 and their certification resolved.
-- Place: the commune code as published goes through int_communes_resolved (COM, ARM, or the
-- COMPARENT of a COMD/COMA row), then the 2024 commune row of `territories` gives département
-- and région. Certification: the RNCP code the catalogue gives, else the one the Kit gives for
-- its diploma code (CFD). Title and level fall back on the certification when the catalogue has
-- none (the RCO flow carries no title at all).
with trainings as (
    select * from {{ ref('int_trainings_unioned') }}
),

resolved_communes as (
    select * from {{ ref('int_communes_resolved') }}
),

communes as (
    select territory_code, name, departement_code, region_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

diplomas as (
    select * from {{ ref('int_diplomas_merged') }}
),

certifications as (
    select * from {{ ref('int_certifications_merged') }}
),

formacodes_v12_v13 as (
    select formacode_v12, min(formacode_v13) as formacode_v13
    from {{ ref('stg_formacode__v12_v13_codes') }}
    where formacode_v12 is not null and formacode_v13 is not null
    group by formacode_v12
),

with_certification as (
    select
        trainings.*,
        coalesce(trainings.rncp_code_given, diplomas.rncp_code) as rncp_code,
        case
            when trainings.rncp_code_given is not null then 'catalogue'
            when diplomas.rncp_code is not null then 'cfd_' || diplomas.rncp_table
        end as rncp_origin,
        diplomas.rncp_code as rncp_code_via_diploma,
        diplomas.diploma_title,
        diplomas.eu_level as diploma_eu_level
    from trainings
    left join diplomas on trainings.diploma_code = diplomas.diploma_code
)

select
    trainings.training_id,
    trainings.source,
    trainings.source_key,
    coalesce(trainings.title, certifications.title, trainings.diploma_title) as title,
    case
        when trainings.title is not null then 'catalogue'
        when certifications.title is not null then 'rncp_title'
        when trainings.diploma_title is not null then 'diploma_title'
    end as title_origin,
    trainings.provider_name,
    trainings.provider_siret,
    trainings.establishment_uai,
    trainings.place_commune_code_seen,
    resolved_communes.commune_code,
    communes.name as commune_name,
    coalesce(communes.departement_code, trainings.place_departement_code_given) as departement_code,
    communes.region_code,
    case
        when trainings.place_commune_code_seen is null then 'no_code'
        when resolved_communes.commune_code is null then 'not_found'
        else resolved_communes.how
    end as place_match,
    trainings.place_postal_code as postal_code,
    trainings.latitude,
    trainings.longitude,
    trainings.rncp_code,
    trainings.rncp_origin,
    trainings.rncp_code_via_diploma,
    trainings.diploma_code,
    trainings.certifinfo_code,
    coalesce(formacodes_v12_v13.formacode_v13, trainings.formacode_given) as formacode,
    coalesce(trainings.eu_level_given, certifications.eu_level, trainings.diploma_eu_level) as eu_level,
    trainings.start_date,
    trainings.end_date,
    trainings.total_hours,
    trainings.is_published,
    trainings.description,
    trainings._source_file,
    trainings._row_number
from with_certification as trainings
left join resolved_communes on trainings.place_commune_code_seen = resolved_communes.commune_code_seen
left join communes on resolved_communes.commune_code = communes.territory_code
left join certifications on trainings.rncp_code = certifications.rncp_code
left join formacodes_v12_v13 on trainings.formacode_given = formacodes_v12_v13.formacode_v12
