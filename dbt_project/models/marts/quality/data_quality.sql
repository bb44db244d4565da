-- One row per (run, source table): rows read, landed and quarantined, from the raw zone's
-- manifests, and for the latest landing of a table, how many of its values the build repaired
-- or flagged (texts) or set aside (codes unknown to their referential: set_aside_values).
-- Built after every raw asset of the run, the candidates included.
-- depends_on: {{ ref('stg_candidates__profiles') }}
with manifests as (
    select * from {{ ref('stg_raw_zone__manifests') }}
),

titles as (
    select * from {{ ref('int_training_titles_repaired') }}
),

-- The Kit apprentissage v1.4 diploma titles (raw kit_apprentissage.codes_diplomes) lost their
-- accents to U+FFFD in the publisher's file; the trainings that take their title from it are
-- repaired from a clean title of the same certification, or flagged.
text_repairs as (
    select
        'kit_apprentissage' as source,
        'codes_diplomes' as table_name,
        count(*) filter (where title_repair = 'repaired') as texts_repaired,
        count(*) filter (where title_repair = 'flagged') as texts_flagged
    from titles
),

set_aside as (
    select source, table_name, count(*) as values_set_aside
    from {{ ref('set_aside_values') }}
    group by source, table_name
),

per_table as (
    select
        run_id,
        source_name as source,
        table_name,
        count(*) as partitions,
        -- NULL unless every partition's records were counted apart from the parser
        case when count(rows_read) = count(*) then sum(rows_read) end as rows_read,
        string_agg(distinct rows_read_counted_as, ', ') as rows_read_counted_as,
        sum(rows_landed) as rows_landed,
        sum(rows_quarantined) as rows_quarantined,
        max(landed_at) as landed_at
    from manifests
    group by run_id, source_name, table_name
),

-- the build's repairs and set-asides concern the table as landed last, not its earlier runs
latest as (
    select
        *,
        landed_at = max(landed_at) over (partition by source, table_name) as is_latest_landing
    from per_table
)

select
    latest.run_id,
    latest.source,
    latest.table_name,
    latest.partitions,
    latest.rows_read,
    latest.rows_read_counted_as,
    latest.rows_landed,
    latest.rows_quarantined,
    latest.rows_read = latest.rows_landed + latest.rows_quarantined as is_accounted,
    text_repairs.texts_repaired,
    text_repairs.texts_flagged,
    case
        when latest.is_latest_landing and latest.source = 'france_travail' and latest.table_name = 'job_offers'
            then coalesce(set_aside.values_set_aside, 0)
    end as values_set_aside,
    latest.landed_at
from latest
left join text_repairs
    on
        latest.is_latest_landing
        and latest.source = text_repairs.source
        and latest.table_name = text_repairs.table_name
left join set_aside
    on
        latest.is_latest_landing
        and latest.source = set_aside.source
        and latest.table_name = set_aside.table_name
