{#-
    One row per (ROME 4.0 item, French label of the ESCO skill the item is bridged to): the ESCO
    skill of int_skill_esco_matches_ranked with match_rank = 1 (the one the skills mart shows),
    with every one of its labels, preferred and alternative. The skill extractor's dictionary
    takes these labels as extra names of the item, so the mart and the extractor share one bridge.
-#}
with bridge as (
    select skill_code, esco_skill_uri
    from {{ ref('int_skill_esco_matches_ranked') }}
    where match_rank = 1
),

esco_labels as (
    select esco_skill_uri, label, label_type
    from {{ ref('stg_esco__skill_labels') }}
),

bridged as (
    select
        bridge.skill_code,
        bridge.esco_skill_uri,
        esco_labels.label,
        -- a label that is both the preferred and an alternative one counts as preferred
        bool_or(esco_labels.label_type = 'preferred') as is_preferred
    from bridge
    inner join esco_labels
        on bridge.esco_skill_uri = esco_labels.esco_skill_uri
    group by bridge.skill_code, bridge.esco_skill_uri, esco_labels.label
)

select * from bridged
