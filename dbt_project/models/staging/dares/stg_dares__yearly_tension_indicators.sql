with source as (
    select * from {{ source('dares', 'tension_history') }}
),

renamed as (
    select
        fap as fap_code,
        cast(annee as integer) as year,
        cast(tension as double) as tension_indicator,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
