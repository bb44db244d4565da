with source as (
    select * from {{ source('bcn', 'n_formation_diplome') }}
),

renamed as (
    select
        formation_diplome as diploma_code,
        niveau_formation_diplome as diploma_level_code,
        n_niveau_formation_diplome_libelle_100 as diploma_level_label,
        groupe_specialite as nsf_group_code,
        n_groupe_specialite_libelle_long as nsf_group_label,
        lettre_specialite as speciality_letter,
        libelle_court as short_label,
        libelle_stat_33 as stat_label,
        libelle_long_200 as label,
        date_ouverture as opened_on,
        date_fermeture as closed_on,
        ancien_diplome_1 as previous_diploma_code,
        nouveau_diplome_1 as next_diploma_code,
        nature_formation_diplome as nature_code,
        n_nature_formation_diplome_libelle_100 as nature_label,
        gestionnaire_formation_diplome as manager,
        try_cast(niveau_qualification_rncp as integer) as rncp_level,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
