with source as (
    select * from {{ source('dares', 'tensions') }}
),

renamed as (
    select
        fap as fap_code,
        cast(replace(niveau_fap, 'fap ', '') as integer) as fap_level,
        case niveau_geo
            when 'nat' then 'national'
            when 'reg' then 'region'
            when 'dep' then 'departement'
        end as territory_level,
        coalesce(dep, reg) as territory_code,
        reg as region_code,
        dep as departement_code,
        cast(annee as integer) as year,
        cast(emploi_moyen as integer) as average_employment,
        cast(tension as double) as tension_indicator,
        cast(categorie_tension as integer) as tension_category,
        cast(intensite_d_embauches as integer) as hiring_intensity,
        cast(lien_formation_emploi as integer) as training_employment_link,
        cast(manque_de_main_d_oeuvre_disponible as integer) as labour_shortage,
        cast(non_durabilite_de_l_emploi as integer) as job_non_durability,
        cast(conditions_de_travail_contraignantes as integer) as working_conditions_constraint,
        cast(inadequation_geographique as integer) as geographic_mismatch,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
