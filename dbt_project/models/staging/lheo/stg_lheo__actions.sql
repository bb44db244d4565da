with source as (
    select * from {{ source('lheo', 'actions') }}
),

renamed as (
    select
        action_numero as action_id,
        formation_numero as formation_id,
        code_public_vise as target_public_codes,
        modalites_enseignement as teaching_mode_code,
        lieu_codepostal as place_postal_code,
        lieu_ville as place_city,
        {{ pad_code('lieu_departement', 2) }} as place_departement_code,
        {{ pad_code('lieu_code_insee_commune', 5) }} as place_commune_code,
        {{ pad_code('lieu_region', 2) }} as place_region_code,
        lieu_latitude as place_latitude,
        lieu_longitude as place_longitude,
        nombre_heures_centre as hours_in_centre,
        nombre_heures_entreprise as hours_in_company,
        nombre_heures_total as total_hours,
        formateur_siret as trainer_siret,
        raison_sociale_formateur as trainer_name,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
