-- One row per (run, source table): rows read, landed and quarantined, from the raw zone's
-- manifests, and for the latest landing of a table whose text the build repairs, how many
-- values were repaired or flagged. Built after every raw asset of the run, the candidates included.
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
)

select
    per_table.run_id,
    per_table.source,
    per_table.table_name,
    per_table.partitions,
    per_table.rows_read,
    per_table.rows_read_counted_as,
    per_table.rows_landed,
    per_table.rows_quarantined,
    per_table.rows_read = per_table.rows_landed + per_table.rows_quarantined as is_accounted,
    -- the build's repairs concern the table as landed last, not its earlier runs
    text_repairs.texts_repaired,
    text_repairs.texts_flagged,
    per_table.landed_at
from per_table
left join text_repairs
    on
        per_table.source = text_repairs.source
        and per_table.table_name = text_repairs.table_name
        and per_table.landed_at = (
            select max(latest.landed_at) from per_table as latest
            where latest.source = per_table.source and latest.table_name = per_table.table_name
        )
