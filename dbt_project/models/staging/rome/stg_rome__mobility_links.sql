with source as (
    select * from {{ source('rome', 'mobility') }}
),

renamed as (
    select
        code_rome as rome_code,
        code_rome_cible as target_rome_code,
        numero_ordre as rank_order,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
