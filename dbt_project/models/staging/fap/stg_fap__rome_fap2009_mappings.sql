with source as (
    select * from {{ source('fap', 'rome_v3_to_fap2009') }}
),

renamed as (
    select
        code_rome_v3 as rome_v3_code,
        -- NULL for $FAP9RSQ (the family does not depend on qualification)
        qualification as qualification_code,
        fap2009_code,
        format_name as sas_format_name,
        format_name = '$FAP9RAQ' as is_by_qualification,
        source_key,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
