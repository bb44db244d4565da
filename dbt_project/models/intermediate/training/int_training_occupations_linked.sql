-- Every candidate (training, ROME code) link, by every method, before the cascade of trust.
-- Methods, most trusted first:
--   1 catalogue_rome  the catalogue itself names the ROME code (LHEO code-ROME, the enriched
--                     catalogue's rome_codes, the CPF proximity ROME codes);
--   2 rncp_rome       the certification the catalogue gives -> ROME (RNCP export, else Kit v1.4);
--   3 cfd_rncp_rome   the diploma code (CFD) -> RNCP fiche (Kit) -> ROME;
--   4 formacode_rome  a Formacode of the training -> ROME (only a partial extract is bundled).
-- Only codes of the ROME referential survive.
with trainings as (
    select * from {{ ref('int_training_titles_repaired') }}
),

unioned as (
    select training_id, source, source_key from {{ ref('int_trainings_unioned') }}
),

certification_romes as (
    select * from {{ ref('int_certification_romes_merged') }}
),

occupations as (
    select rome_code from {{ ref('stg_rome__occupations') }}
),

catalogue_codes as (
    select 'lheo' as source, actions.action_id as source_key, codes.code as rome_code
    from {{ ref('stg_lheo__formation_codes') }} as codes
    inner join {{ ref('stg_lheo__actions') }} as actions on codes.formation_id = actions.formation_id
    where codes.code_type = 'rome'
    union all
    select 'lheo_summary' as source, summary_id as source_key, code as rome_code
    from {{ ref('stg_lheo__offer_summary_codes') }}
    where code_type = 'rome'
    union all
    select 'catalogue_apprentissage' as source, formation_id as source_key, rome_code
    from {{ ref('stg_catalogue_apprentissage__formation_rome_codes') }}
    union all
    select 'cpf_sample' as source, {{ cpf_training_key() }} as source_key, rome_code
    from {{ ref('stg_cpf__training_romes') }}
    where rome_code is not null
),

catalogue_links as (
    select
        unioned.training_id,
        catalogue_codes.rome_code,
        'catalogue_rome' as link_method,
        'catalogue' as link_table
    from catalogue_codes
    inner join unioned
        on catalogue_codes.source = unioned.source and catalogue_codes.source_key = unioned.source_key
),

rncp_links as (
    select
        trainings.training_id,
        certification_romes.rome_code,
        'rncp_rome' as link_method,
        certification_romes.rome_table as link_table
    from trainings
    inner join certification_romes on trainings.rncp_code = certification_romes.rncp_code
    where trainings.rncp_origin = 'catalogue'
),

cfd_links as (
    select
        trainings.training_id,
        certification_romes.rome_code,
        'cfd_rncp_rome' as link_method,
        certification_romes.rome_table as link_table
    from trainings
    inner join certification_romes on trainings.rncp_code_via_diploma = certification_romes.rncp_code
),

training_formacodes as (
    select trainings.training_id, trainings.formacode
    from trainings
    where trainings.formacode is not null
    union
    select trainings.training_id, formacodes.formacode
    from trainings
    inner join {{ ref('stg_rncp__certification_formacodes') }} as formacodes
        on trainings.rncp_code = formacodes.certification_code
),

formacode_links as (
    select
        training_formacodes.training_id,
        rome_formacodes.rome_code,
        'formacode_rome' as link_method,
        'formacode_extract' as link_table
    from training_formacodes
    inner join {{ ref('stg_formacode__rome_formacodes') }} as rome_formacodes
        on training_formacodes.formacode = rome_formacodes.formacode
),

candidates as (
    select * from catalogue_links
    union all
    select * from rncp_links
    union all
    select * from cfd_links
    union all
    select * from formacode_links
)

select
    candidates.training_id,
    candidates.rome_code,
    candidates.link_method,
    candidates.link_table,
    case candidates.link_method
        when 'catalogue_rome' then 1
        when 'rncp_rome' then 2
        when 'cfd_rncp_rome' then 3
        when 'formacode_rome' then 4
    end as method_rank
from candidates
inner join occupations on candidates.rome_code = occupations.rome_code
