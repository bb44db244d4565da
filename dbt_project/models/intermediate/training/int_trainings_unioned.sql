-- Every training action of every catalogue, in one shape, before any referential join.
-- One row per training action (LHEO: action; LHEO index: action-session; CPF sample: a
-- (title, duration, price, postcode) group, the extract having no identifier). The natural key
-- of a source can repeat (RCO flow: 122 repeated triples; Offre Info: no key at all): repeats get
-- an occurrence suffix so that no row is merged away and training_id stays unique.
with rco_flow_actions as (
    -- The RCO apprenticeship flow comes as CSV (with the publication flag) and as JSON (with the
    -- title): one shape, each row under the source it was read from.
    select 'rco_apprenticeship_flow' as source, * from {{ ref('stg_rco__apprenticeship_actions') }}
    union all by name
    select 'rco_flow_json' as source, * from {{ ref('stg_rco__flow_json_actions') }}
),

rco_flow as (
    select
        source,
        action_id || '|' || formation_id || '|' || coalesce(certifinfo_code, '') as source_key,
        title,
        coalesce(trainer_siret, manager_siret) as provider_siret,
        place_commune_code as place_commune_code_seen,
        -- UAI of the place of training (else of the trainer): joins InserJeunes outcomes.
        coalesce(place_uai, trainer_uai) as establishment_uai,
        place_postal_code,
        place_latitude as latitude,
        place_longitude as longitude,
        rncp_code as rncp_code_given,
        diploma_code,
        certifinfo_code,
        cast(first_entry_month || '-01' as date) as start_date,
        is_published,
        _source_file,
        _row_number
    from rco_flow_actions
),

offre_info as (
    select
        'rco_offre_info' as source,
        action_id || '|' || coalesce(session_id, '') as source_key,
        title,
        coalesce(provider_name, provider_legal_name) as provider_name,
        coalesce(trainer_siret, provider_siret) as provider_siret,
        place_commune_code as place_commune_code_seen,
        place_uai as establishment_uai,
        place_postal_code,
        rncp_code as rncp_code_given,
        diploma_code,
        certifinfo_code,
        eu_level as eu_level_given,
        total_hours,
        _source_file,
        _row_number
    from {{ ref('stg_rco__offre_info_actions') }}
),

lheo_sessions as (
    select
        action_id,
        min(start_date) as start_date,
        max(end_date) as end_date
    from {{ ref('stg_lheo__sessions') }}
    group by action_id
),

lheo_principal_formacodes as (
    -- The principal Formacode of a formation, else its first one.
    select formation_id, code, code_version
    from (
        select
            formation_id,
            code,
            code_version,
            row_number() over (partition by formation_id order by is_principal desc, _row_number) as code_rank
        from {{ ref('stg_lheo__formation_codes') }}
        where code_type = 'formacode'
    ) as ranked
    where code_rank = 1
),

lheo_actions as (
    select
        'lheo' as source,
        actions.action_id as source_key,
        formations.title,
        coalesce(formations.provider_name, formations.provider_legal_name, actions.trainer_name) as provider_name,
        coalesce(actions.trainer_siret, formations.provider_siret) as provider_siret,
        actions.place_commune_code as place_commune_code_seen,
        actions.place_postal_code,
        actions.place_departement_code as place_departement_code_given,
        actions.place_latitude as latitude,
        actions.place_longitude as longitude,
        formations.rncp_code as rncp_code_given,
        formations.certifinfo_code,
        formacodes.code as formacode_given,
        sessions.start_date,
        sessions.end_date,
        actions.total_hours,
        trim(coalesce(formations.objective, '') || ' ' || coalesce(formations.content, '')) as description,
        actions._source_file,
        actions._row_number
    from {{ ref('stg_lheo__actions') }} as actions
    inner join {{ ref('stg_lheo__formations') }} as formations
        on actions.formation_id = formations.formation_id
    left join lheo_sessions as sessions
        on actions.action_id = sessions.action_id
    left join lheo_principal_formacodes as formacodes
        on actions.formation_id = formacodes.formation_id
),

lheo_summary_formacodes as (
    select summary_id, code
    from (
        select
            summary_id,
            code,
            row_number() over (partition by summary_id order by is_principal desc, _row_number) as code_rank
        from {{ ref('stg_lheo__offer_summary_codes') }}
        where code_type = 'formacode'
    ) as ranked
    where code_rank = 1
),

lheo_summaries as (
    select
        'lheo_summary' as source,
        summaries.summary_id as source_key,
        summaries.title,
        summaries.provider_name,
        summaries.provider_siret,
        summaries.place_commune_code as place_commune_code_seen,
        summaries.place_postal_code,
        summaries.place_departement_code as place_departement_code_given,
        summaries.place_latitude as latitude,
        summaries.place_longitude as longitude,
        summaries.rncp_code as rncp_code_given,
        summaries.certifinfo_code,
        formacodes.code as formacode_given,
        summaries.start_date,
        summaries.end_date,
        summaries.total_hours,
        summaries._source_file,
        summaries._row_number
    from {{ ref('stg_lheo__offer_summaries') }} as summaries
    left join lheo_summary_formacodes as formacodes
        on summaries.summary_id = formacodes.summary_id
),

catalogue as (
    select
        'catalogue_apprentissage' as source,
        formation_id as source_key,
        coalesce(rco_title, title, rncp_title) as title,
        coalesce(trainer_name, manager_name) as provider_name,
        coalesce(trainer_siret, manager_siret) as provider_siret,
        place_commune_code as place_commune_code_seen,
        place_postal_code,
        place_departement_code as place_departement_code_given,
        place_latitude as latitude,
        place_longitude as longitude,
        rncp_code as rncp_code_given,
        diploma_code,
        certifinfo_code,
        eu_level as eu_level_given,
        start_date,
        end_date,
        is_published,
        _source_file,
        _row_number
    from {{ ref('stg_catalogue_apprentissage__formations') }}
),

cpf as (
    select
        'cpf_sample' as source,
        {{ cpf_training_key() }} as source_key,
        title,
        place_postal_code,
        duration_hours as total_hours,
        min(specific_conditions) as description,
        _source_file,
        min(_row_number) as _row_number
    from {{ ref('stg_cpf__training_romes') }}
    group by title, duration_hours, total_price_eur, place_postal_code, _source_file
),

unioned as (
    select * from rco_flow
    union all by name
    select * from offre_info
    union all by name
    select * from lheo_actions
    union all by name
    select * from lheo_summaries
    union all by name
    select * from catalogue
    union all by name
    select * from cpf
),

numbered as (
    select
        *,
        row_number() over (partition by source, source_key order by _source_file, _row_number) as key_occurrence
    from unioned
)

-- The branches list only the columns their source has (union all by name fills the others with
-- NULL); the column order is set here, once.
select
    source || ':' || source_key
    || case when key_occurrence > 1 then '#' || cast(key_occurrence as varchar) else '' end as training_id,
    source,
    source_key,
    title,
    provider_name,
    provider_siret,
    place_commune_code_seen,
    establishment_uai,
    place_postal_code,
    place_departement_code_given,
    latitude,
    longitude,
    rncp_code_given,
    diploma_code,
    certifinfo_code,
    formacode_given,
    eu_level_given,
    start_date,
    end_date,
    total_hours,
    is_published,
    description,
    _source_file,
    _row_number,
    key_occurrence
from numbered
