with source as (
    select * from {{ source('raw_zone', 'manifests') }}
),

renamed as (
    select
        cast(run_id as varchar) as run_id,
        source as source_name,
        "table" as table_name,
        "partition" as partition_name,
        cast(rows_read as bigint) as rows_read,
        cast(rows_read_counted_as as varchar) as rows_read_counted_as,
        cast("rows" as bigint) as rows_landed,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(fetched_at as timestamp with time zone) as landed_at,
        origin,
        filename as manifest_path
    from source
)

select * from renamed
