with source as (
    select * from {{ source('nsf', 'groupes_specialites') }}
),

renamed as (
    select
        codformation as nsf_group_code,
        libformation as label,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
