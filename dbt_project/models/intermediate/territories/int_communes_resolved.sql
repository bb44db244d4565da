-- Any commune code a source may use (COG 2024 COM, ARM, COMD, COMA) -> the 2024 commune row of
-- `territories` it belongs to. A code that is both a COM and the COMD of its own former commune
-- (573 codes) resolves as the COM.
with cog as (
    select * from {{ ref('stg_geography__communes') }}
),

current_communes as (
    select
        commune_code as commune_code_seen,
        commune_type as commune_type_seen,
        commune_code,
        'commune' as how,
        cast(null as varchar) as parent_commune_code
    from cog
    where commune_type = 'COM'
),

arrondissements as (
    select
        commune_code as commune_code_seen,
        commune_type as commune_type_seen,
        commune_code,
        'arrondissement' as how,
        parent_commune_code
    from cog
    where commune_type = 'ARM'
),

former_communes as (
    select
        former.commune_code as commune_code_seen,
        former.commune_type as commune_type_seen,
        former.parent_commune_code as commune_code,
        case when former.commune_type = 'COMD' then 'commune_deleguee' else 'commune_associee' end as how,
        former.parent_commune_code
    from cog as former
    where
        former.commune_type in ('COMD', 'COMA')
        and not exists (
            select 1 from cog as current_commune
            where
                current_commune.commune_type = 'COM'
                and current_commune.commune_code = former.commune_code
        )
)

select * from current_communes
union all
select * from arrondissements
union all
select * from former_communes
