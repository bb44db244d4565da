with source as (
    select * from {{ source('dares', 'jobseekers_by_fap') }}
),

renamed as (
    select
        fap3 as fap_code,
        fap3 = 'Ensemble' as is_total,
        cast(annee as integer) as year,
        case categorie
            when 'Catégorie A' then 'A'
            when 'Catégories A, B, C' then 'ABC'
        end as jobseeker_category,
        categorie as jobseeker_category_label,
        cast(effectifs as double) as jobseekers_thousands,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
