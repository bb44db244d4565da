with source as (
    select * from {{ source('lheo', 'offer_summary_codes') }}
),

renamed as (
    select
        offer_numero as summary_id,
        lower(code_type) as code_type,
        code,
        ref as code_version,
        coalesce(tag = 'principal', false) as is_principal,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
