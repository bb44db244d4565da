with source as (
    select * from {{ source('lheo', 'offer_summaries') }}
),

renamed as (
    select
        resume_numero as summary_id,
        intitule_formation as title,
        organisme_numero as provider_id,
        nom_organisme as provider_name,
        siret as provider_siret,
        codepostal as place_postal_code,
        {{ pad_code('code_insee_commune', 5) }} as place_commune_code,
        ville as place_city,
        {{ pad_code('departement', 2) }} as place_departement_code,
        {{ pad_code('region', 2) }} as place_region_code,
        certifiante as is_certifying,
        code_niveau_entree as entry_level_code,
        code_niveau_sortie as exit_level_code,
        modalites_enseignement as teaching_mode_code,
        nombre_heures_total as total_hours,
        {{ lheo_date('periode_debut') }} as start_date,
        {{ lheo_date('periode_fin', is_end=true) }} as end_date,
        session_count,
        {{ normalise_rncp_code('code_rncp') }} as rncp_code,
        code_certifinfo as certifinfo_code,
        latitude as place_latitude,
        longitude as place_longitude,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
