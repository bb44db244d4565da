-- The `competences` entries of kept offers that do not become posting_skills rows, with why:
-- 'free_text' (no code: a recruiter's own wording) or 'unknown_code' (a code that is not a ROME
-- 4.0 item). Kept for accounting: listed entries = posting_skills structured rows + these
-- (+ repeated listings of one item in one offer).
with kept as (
    select posting_id, _source_file, _ingested_at
    from {{ ref('int_job_postings_deduplicated') }}
),

entries as (
    select competences.*
    from {{ ref('stg_france_travail__job_offer_competences') }} as competences
    inner join kept
        on
            competences.posting_id = kept.posting_id
            and competences._source_file = kept._source_file
            and competences._ingested_at = kept._ingested_at
),

items as (
    select skill_code from {{ ref('skills') }}
)

select
    entries.posting_id,
    entries.entry_number,
    entries.competence_code,
    entries.label,
    entries.requirement_code,
    case when entries.competence_code is null then 'free_text' else 'unknown_code' end as reason
from entries
left join items
    on entries.skill_code = items.skill_code
where items.skill_code is null
