with source as (
    select * from {{ source('rco', 'apprenticeship_actions') }}
),

renamed as (
    select
        id_action as action_id,
        id_formation as formation_id,
        id_certifinfo as certifinfo_code,
        {{ pad_code('cfd', 8) }} as diploma_code,
        {{ normalise_rncp_code('rncp_code') }} as rncp_code,
        capacite as capacity,
        periode as entry_months,
        list_min(string_split(periode, ';')) as first_entry_month,
        list_max(string_split(periode, ';')) as last_entry_month,
        published as is_published,
        etablissement_lieu_formation_siret as place_siret,
        etablissement_lieu_formation_uai as place_uai,
        etablissement_lieu_formation_adresse as place_address,
        etablissement_lieu_formation_code_postal as place_postal_code,
        etablissement_lieu_formation_code_insee as place_commune_code,
        lieu_formation_latitude as place_latitude,
        lieu_formation_longitude as place_longitude,
        etablissement_formateur_siret as trainer_siret,
        etablissement_formateur_uai as trainer_uai,
        etablissement_formateur_code_postal as trainer_postal_code,
        etablissement_formateur_code_insee as trainer_commune_code,
        etablissement_gestionnaire_siret as manager_siret,
        etablissement_gestionnaire_uai as manager_uai,
        etablissement_gestionnaire_code_postal as manager_postal_code,
        etablissement_gestionnaire_code_insee as manager_commune_code,
        created_at,
        last_update_at as updated_at,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
