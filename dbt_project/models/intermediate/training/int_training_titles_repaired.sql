-- Every enriched training, its title repaired where the publisher's file lost characters.
-- The Kit apprentissage v1.4 titles carry U+FFFD where accents were (13,780 of the 39,510 RCO
-- flow actions take their title from it): a damaged title is replaced by a clean title of the
-- same certification (same RNCP code or same diploma code, from the Kit 2025, the RCO Offre Info
-- and JSON catalogues, ONISEP or the BCN) that matches it character for character, each U+FFFD
-- standing for exactly one character, when exactly one such clean title exists. The others keep
-- their title and are flagged (title_repair = 'flagged').
with trainings as (
    select * from {{ ref('int_trainings_enriched') }}
),

titles_seen as (
    select rncp_code, null as diploma_code, rncp_title as title from {{ ref('stg_kit_apprentissage__diplomas_2025') }}
    union all
    select null, diploma_code, diploma_title from {{ ref('stg_kit_apprentissage__diplomas_2025') }}
    union all
    select null, diploma_code, diploma_title from {{ ref('stg_kit_apprentissage__diplomas') }}
    union all
    select rncp_code, diploma_code, diploma_title from {{ ref('stg_rco__offre_info_actions') }}
    union all
    select rncp_code, diploma_code, title from {{ ref('stg_rco__offre_info_actions') }}
    union all
    select rncp_code, diploma_code, title from {{ ref('stg_rco__flow_json_actions') }}
    union all
    select rncp_code, null, title from {{ ref('stg_onisep__formations') }}
    union all
    select null, diploma_code, label from {{ ref('stg_bcn__diplomas') }}
),

clean_titles as (
    select distinct rncp_code, diploma_code, title
    from titles_seen
    where title is not null and not contains(title, chr(65533))
),

damaged as (
    select
        training_id,
        rncp_code,
        diploma_code,
        -- a LIKE pattern: the title's own wildcards escaped, each U+FFFD any one character
        replace(replace(replace(replace(title, '\', '\\'), '%', '\%'), '_', '\_'), chr(65533), '_') as title_pattern
    from trainings
    where contains(title, chr(65533))
),

-- Same RNCP code, or same diploma code: two equality joins, not one join on an OR (which DuckDB
-- can only run as a nested loop, comparing every damaged title with every clean one).
matches as (
    select damaged.training_id, clean_titles.title as clean_title
    from damaged
    inner join clean_titles
        on
            clean_titles.rncp_code = damaged.rncp_code
            and clean_titles.title like damaged.title_pattern escape '\'
    union
    select damaged.training_id, clean_titles.title as clean_title
    from damaged
    inner join clean_titles
        on
            clean_titles.diploma_code = damaged.diploma_code
            and clean_titles.title like damaged.title_pattern escape '\'
),

repairs as (
    select training_id, min(clean_title) as clean_title
    from matches
    group by training_id
    having count(distinct clean_title) = 1
)

select
    trainings.* replace (coalesce(repairs.clean_title, trainings.title) as title),
    case
        when repairs.training_id is not null then 'repaired'
        when damaged.training_id is not null then 'flagged'
    end as title_repair
from trainings
left join damaged on trainings.training_id = damaged.training_id
left join repairs on trainings.training_id = repairs.training_id
