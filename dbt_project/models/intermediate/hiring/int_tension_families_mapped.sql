-- FAP2009 families of the métiers en tension lists -> BMO métiers (FAP2021, 228 level).
-- No official FAP2009 <-> FAP2021 table is bundled and the codes were renumbered (B2Z40 "Maçons"
-- became B1X30/B1X31), so families are matched on their labels, within the same domain letter:
--   * labels are split into words (lowercase, no accents, plural s/x dropped, function words and
--     qualification words removed) and scored with an IDF-weighted Dice coefficient;
--   * a candidate must agree on the qualification level ('non/peu qualifiés' vs 'qualifiés')
--     and on the occupational level (ouvrier / technicien-agent de maîtrise / cadre-ingénieur /
--     employé) when both labels state one;
--   * the best candidate wins, a code whose structure carries over (same domain letter and digit,
--     same last two digits, Z -> X or same third letter: A0Z40 -> A0X40) winning ties
--     (+0.1); every candidate tied at the top is kept (Maçons -> both B1X30 and B1X31);
--   * it is kept when its Dice is at least 0.5, or 0.4 for a structural match (V1Z80 "Infirmiers"
--     -> V1X80 "Infirmiers et sages-femmes").
-- Uses DuckDB list functions (string_split, unnest): intermediate, not a mart.
with families as (
    select fap2009_code, min(fap2009_label) as fap2009_label, min(fap2009_label_normalized) as label_normalized
    from {{ ref('stg_bmo__tension_occupations') }}
    group by fap2009_code
),

metiers as (
    select
        bmo_metier_code,
        min(bmo_metier_label) as bmo_metier_label,
        min(bmo_metier_label_normalized) as label_normalized
    from {{ ref('stg_bmo__hiring_projects') }}
    group by bmo_metier_code
),

labels as (
    select 'fap2009' as side, fap2009_code as code, label_normalized from families
    union all
    select 'bmo' as side, bmo_metier_code as code, label_normalized from metiers
),

raw_words as (
    select side, code, unnest(string_split(label_normalized, ' ')) as word
    from labels
),

words as (
    select distinct side, code, regexp_replace(word, '[sx]$', '') as word
    from raw_words
    where
        length(word) > 1
        and word not in (
            'des', 'les', 'et', 'de', 'du', 'en', 'la', 'le', 'aux', 'au', 'sauf', 'hors', 'autres',
            'autre', 'salaries', 'salarie', 'qualifies', 'qualifie', 'peu', 'non', 'assimiles', 'ou',
            'par', 'dans', 'sur'
        )
),

weights as (
    select word, ln((select count(*) from labels) * 1.0 / count(*)) as idf
    from words
    group by word
),

weighted as (
    select words.side, words.code, words.word, weights.idf
    from words
    inner join weights on weights.word = words.word
),

label_weights as (
    select side, code, sum(idf) as total_idf from weighted group by side, code
),

levels as (
    select
        side,
        code,
        case
            when label_normalized like '%non qualifi%' or label_normalized like '%peu qualifi%' then 'low'
            when label_normalized like '%qualifi%' then 'high'
        end as qualification,
        label_normalized like '%ouvrier%' or label_normalized like '%ouvier%' as says_ouvrier,
        label_normalized like '%technicien%' or label_normalized like '%maitrise%'
        or label_normalized like '%dessinateur%' as says_intermediate,
        (label_normalized like '%cadre%' and label_normalized not like '%non cadre%')
        or label_normalized like '%ingenieur%' or label_normalized like '%manager%' as says_cadre,
        label_normalized like '%employe%' as says_employe
    from labels
),

shared as (
    select family.code as fap2009_code, metier.code as bmo_metier_code, sum(family.idf) as shared_idf
    from weighted as family
    inner join weighted as metier
        on
            metier.word = family.word
            and metier.side = 'bmo'
            and substr(metier.code, 1, 1) = substr(family.code, 1, 1)
    where family.side = 'fap2009'
    group by family.code, metier.code
),

candidates as (
    select
        shared.fap2009_code,
        shared.bmo_metier_code,
        2 * shared.shared_idf / (family_weight.total_idf + metier_weight.total_idf) as label_score,
        substr(shared.fap2009_code, 1, 2) = substr(shared.bmo_metier_code, 1, 2)
        and substr(shared.fap2009_code, 4, 2) = substr(shared.bmo_metier_code, 4, 2)
        and (
            substr(shared.fap2009_code, 3, 1) = substr(shared.bmo_metier_code, 3, 1)
            or (substr(shared.fap2009_code, 3, 1) = 'Z' and substr(shared.bmo_metier_code, 3, 1) = 'X')
        ) as is_structural_match
    from shared
    inner join label_weights as family_weight
        on family_weight.side = 'fap2009' and family_weight.code = shared.fap2009_code
    inner join label_weights as metier_weight
        on metier_weight.side = 'bmo' and metier_weight.code = shared.bmo_metier_code
    inner join levels as family_level
        on family_level.side = 'fap2009' and family_level.code = shared.fap2009_code
    inner join levels as metier_level
        on metier_level.side = 'bmo' and metier_level.code = shared.bmo_metier_code
    where
        coalesce(family_level.qualification = metier_level.qualification, true)
        and (
            not (
                family_level.says_ouvrier
                or family_level.says_intermediate
                or family_level.says_cadre
                or family_level.says_employe
            )
            or not (
                metier_level.says_ouvrier
                or metier_level.says_intermediate
                or metier_level.says_cadre
                or metier_level.says_employe
            )
            or (family_level.says_ouvrier and metier_level.says_ouvrier)
            or (family_level.says_intermediate and metier_level.says_intermediate)
            or (family_level.says_cadre and metier_level.says_cadre)
            or (family_level.says_employe and metier_level.says_employe)
        )
),

ranked as (
    select
        *,
        rank() over (
            partition by fap2009_code
            order by label_score + case when is_structural_match then 0.1 else 0 end desc
        ) as preference
    from candidates
)

select
    families.fap2009_code,
    families.fap2009_label,
    ranked.bmo_metier_code,
    metiers.bmo_metier_label,
    round(ranked.label_score, 3) as label_score,
    ranked.is_structural_match
from families
inner join ranked on ranked.fap2009_code = families.fap2009_code
inner join metiers on metiers.bmo_metier_code = ranked.bmo_metier_code
where
    ranked.preference = 1
    and ranked.label_score >= case when ranked.is_structural_match then 0.4 else 0.5 end
