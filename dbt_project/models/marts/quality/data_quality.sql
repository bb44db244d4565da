-- One row per (run, source table): rows read, landed and quarantined, from the raw zone's
-- manifests. Built after every raw asset of the run, the candidates included.
-- depends_on: {{ ref('stg_candidates__profiles') }}
with manifests as (
    select * from {{ ref('stg_raw_zone__manifests') }}
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
    run_id,
    source,
    table_name,
    partitions,
    rows_read,
    rows_read_counted_as,
    rows_landed,
    rows_quarantined,
    rows_read = rows_landed + rows_quarantined as is_accounted,
    landed_at
from per_table
