with source as (
    select * from {{ source('lheo', 'sessions') }}
),

renamed as (
    select
        session_numero as session_id,
        action_numero as action_id,
        formation_numero as formation_id,
        {{ lheo_date('periode_debut') }} as start_date,
        {{ lheo_date('periode_fin', is_end=true) }} as end_date,
        etat_recrutement as recruitment_state_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
