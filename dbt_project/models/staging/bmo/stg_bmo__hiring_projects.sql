with source as (
    select * from {{ source('bmo', 'hiring_projects') }}
),

renamed as (
    select
        annee as year,
        bassin_code as bassin_bmo_code,
        bassin_name as bassin_bmo_name,
        code_metier_bmo as bmo_metier_code,
        nom_metier_bmo as bmo_metier_label,
        famille_met as bmo_family_code,
        lbl_fam_met as bmo_family_label,
        reg as region_code,
        nom_reg as region_name,
        dept as departement_code,
        nomdept as departement_name,
        met as projects,
        xmet as difficult_projects,
        smet as seasonal_projects,
        -- Label without accents, case or punctuation, for matching against FAP2009 labels.
        trim(regexp_replace(lower(strip_accents(nom_metier_bmo)), '[^a-z0-9]+', ' ', 'g'))
            as bmo_metier_label_normalized,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
