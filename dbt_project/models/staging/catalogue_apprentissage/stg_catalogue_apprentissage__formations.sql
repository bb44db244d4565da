with source as (
    select * from {{ source('catalogue_apprentissage', 'formations') }}
),

renamed as (
    select
        id as formation_id,
        id_rco_formation as rco_key,
        id_formation as rco_formation_id,
        id_action as rco_action_id,
        id_certifinfo as certifinfo_code,
        cle_ministere_educatif as education_ministry_key,
        {{ pad_code('cfd', 8) }} as diploma_code,
        {{ normalise_rncp_code('rncp_code') }} as rncp_code,
        rncp_intitule as rncp_title,
        intitule_long as title,
        intitule_court as short_title,
        intitule_rco as rco_title,
        diplome as diploma_label,
        niveau as level_label,
        try_cast(left(niveau, 1) as integer) as eu_level,
        code_postal as place_postal_code,
        {{ pad_code('code_commune_insee', 5) }} as place_commune_code,
        {{ pad_code('num_departement', 2) }} as place_departement_code,
        nom_departement as place_departement_name,
        region as place_region_name,
        localite as place_city,
        lieu_formation_adresse as place_address,
        try_cast(split_part(lieu_formation_geo_coordonnees, ',', 1) as double) as place_latitude,
        try_cast(split_part(lieu_formation_geo_coordonnees, ',', 2) as double) as place_longitude,
        etablissement_formateur_siret as trainer_siret,
        coalesce(etablissement_formateur_enseigne, etablissement_formateur_entreprise_raison_sociale) as trainer_name,
        etablissement_gestionnaire_siret as manager_siret,
        etablissement_gestionnaire_entreprise_raison_sociale as manager_name,
        periode as entry_periods,
        try_cast(left(date_debut, 10) as date) as start_date,
        try_cast(left(date_fin, 10) as date) as end_date,
        try_cast(duree as integer) as duration_years,
        published as is_published,
        catalogue_published as is_catalogue_published,
        rome_codes,
        created_at,
        last_update_at as updated_at,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
