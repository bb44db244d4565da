with source as (
    select * from {{ source('inserjeunes', 'establishments') }}
),

renamed as (
    select
        millesime,
        cast(left(millesime, 4) as integer) as millesime_start_year,
        cast(right(millesime, 4) as integer) as millesime_end_year,
        filiere as track,
        n_uai_de_l_etablissement as establishment_uai,
        libelle_de_l_etablissement as establishment_label,
        region as region_label,
        dont_apprentis_en_eple as population,
        -- CFA rows have no population column: they describe the whole establishment.
        coalesce(dont_apprentis_en_eple, 'ensemble') = 'ensemble' as is_whole_establishment,
        cast(taux_de_poursuite_d_etudes as double) as further_study_rate,
        cast(taux as double) as employment_rate_6_months,
        cast(taux_attendu as double) as expected_employment_rate_6_months,
        cast(valeur_ajoutee as double) as employment_value_added,
        cast(part_en_poursuite_d_etudes as double) as further_study_share,
        cast(part_en_emploi_6_mois_apres_la_sortie as double) as employed_6_months_share,
        cast(part_des_autres_situations as double) as other_situations_share,
        cast(unlabelled_col_4 as double) as unlabelled_rate_col_4,
        cast(unlabelled_col_9 as double) as unlabelled_rate_col_9,
        cast(unlabelled_col_10 as double) as unlabelled_rate_col_10,
        cast(unlabelled_col_11 as double) as unlabelled_rate_col_11,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
