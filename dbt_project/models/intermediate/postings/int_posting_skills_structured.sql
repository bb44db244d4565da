-- The ROME items that recruiters listed in the kept version of each offer (`competences`
-- entries that have a code). Free-text entries (no code) are not skills and are left out;
-- codes unknown to the ROME 4.0 items are left out too (see int_posting_competences_unmatched).
-- An item listed twice in one offer is one row, 'required' when any listing says E.
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
    where competences.competence_code is not null
),

items as (
    select skill_code from {{ ref('skills') }}
),

coded as (
    select
        entries.posting_id,
        items.skill_code,
        entries.requirement_code
    from entries
    inner join items
        on entries.skill_code = items.skill_code
)

select
    posting_id,
    skill_code,
    'structured' as origin,
    case
        when max(case when requirement_code = 'E' then 1 else 0 end) = 1 then 'required'
        when max(case when requirement_code = 'S' then 1 else 0 end) = 1 then 'wished'
    end as requirement,
    case
        when max(case when requirement_code = 'E' then 1 else 0 end) = 1 then 'E'
        else max(requirement_code)
    end as requirement_code,
    cast(null as double) as score,
    cast(null as varchar) as evidence
from coded
group by posting_id, skill_code
