with source as (
    select * from {{ source('geography', 'communes') }}
),

renamed as (
    select
        com as commune_code,
        typecom as commune_type,
        libelle as name,
        nccenr as name_without_article,
        ncc as name_uppercase,
        tncc as name_type_code,
        dep as departement_code,
        reg as region_code,
        ctcd as collectivite_code,
        arr as arrondissement_code,
        can as canton_code,
        comparent as parent_commune_code,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
