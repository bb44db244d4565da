with items as (
    select * from {{ ref('stg_rome__items') }}
),

competences as (
    select * from {{ ref('stg_rome__competences') }}
),

savoirs as (
    select * from {{ ref('stg_rome__savoirs') }}
),

esco_matches as (
    select * from {{ ref('int_skill_esco_matches_ranked') }}
    where match_rank = 1
),

joined as (
    select
        items.skill_code,
        items.label,
        case items.rubrique_code
            when 1 then 'savoir_faire'
            when 2 then 'savoir_etre'
            when 3 then 'savoir'
            else 'work_context'
        end as kind,
        items.rubrique_code,
        coalesce(competences.nature = 'Macro-compétence', false) as is_macro_competence,
        competences.macro_skill_code as macro_competence_code,
        macro_competences.label as macro_competence_label,
        coalesce(competences.category, savoirs.category) as category,
        coalesce(competences.subcategory, savoirs.subcategory) as subcategory,
        coalesce(competences.is_digital_transition, savoirs.is_digital_transition, false) as is_digital_transition,
        coalesce(competences.is_ecological_transition, savoirs.is_ecological_transition, false)
            as is_ecological_transition,
        esco_matches.esco_skill_uri as esco_uri,
        esco_matches.matched_label_type as esco_matched_label_type,
        coalesce(esco_matches.candidate_count, 0) as esco_candidate_count
    from items
    left join competences
        on items.skill_code = competences.skill_code
    left join competences as macro_competences
        on competences.macro_skill_code = macro_competences.skill_code
    left join savoirs
        on items.skill_code = savoirs.skill_code
    left join esco_matches
        on items.skill_code = esco_matches.skill_code
)

select * from joined
