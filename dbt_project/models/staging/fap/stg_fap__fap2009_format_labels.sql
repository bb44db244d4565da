with source as (
    select * from {{ source('fap', 'fap2009_format_labels') }}
),

renamed as (
    select
        fap2009_code,
        format_name as sas_format_name,
        case format_name
            when '$FAP9_0L' then 'all'
            when '$FAP9_GL' then 'group'
            when '$FAP9_1L' then 'domain'
            when '$FAP9_3L' then 'aggregate'
            when '$FAP9_5L' then 'detailed'
        end as fap2009_level,
        label,
        formatted_value,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
