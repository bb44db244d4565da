{#-
    One row per (ROME 4.0 item, ESCO skill) whose labels are equal after normalize_label: the
    item's label against every French label of the ESCO skill (preferred and alternative).
    Ranked per item: a match on an ESCO preferred label before a match on an alternative label,
    then the smallest ESCO URI, so that the pick is deterministic.
-#}
with items as (
    select
        skill_code,
        {{ normalize_label('label') }} as normalized_label
    from {{ ref('stg_rome__items') }}
),

esco_labels as (
    select
        esco_skill_uri,
        label_type,
        {{ normalize_label('label') }} as normalized_label
    from {{ ref('stg_esco__skill_labels') }}
),

matches as (
    select
        items.skill_code,
        esco_labels.esco_skill_uri,
        min(case when esco_labels.label_type = 'preferred' then 1 else 2 end) as label_priority,
        min(items.normalized_label) as normalized_label
    from items
    inner join esco_labels
        on items.normalized_label = esco_labels.normalized_label
    where items.normalized_label <> ''
    group by items.skill_code, esco_labels.esco_skill_uri
),

ranked as (
    select
        skill_code,
        esco_skill_uri,
        normalized_label,
        case label_priority when 1 then 'preferred' else 'alternative' end as matched_label_type,
        row_number() over (
            partition by skill_code
            order by label_priority, esco_skill_uri
        ) as match_rank,
        count(*) over (partition by skill_code) as candidate_count
    from matches
)

select * from ranked
