-- One row per RNCP (or RS) fiche known to any bundled referential, with its title and level.
-- Title: the RNCP export, else the Kit 2025 (accents intact), else the Kit v1.4 (accents lost at
-- source). Level: the RNCP export, else the Kit v1.4 (the level the 2020 catalogues refer to),
-- else the Kit 2025.
with export as (
    select certification_code as rncp_code, title, eu_level
    from {{ ref('stg_rncp__certifications') }}
),

kit_v14 as (
    select rncp_code, title, eu_level
    from (
        select
            rncp_code,
            title,
            eu_level,
            row_number() over (partition by rncp_code order by _row_number) as row_rank
        from {{ ref('stg_kit_apprentissage__rncp_certifications') }}
        where rncp_code is not null
    ) as ranked
    where row_rank = 1
),

kit_2025 as (
    select rncp_code, title, eu_level
    from (
        select
            rncp_code,
            rncp_title as title,
            eu_level,
            row_number() over (partition by rncp_code order by _row_number) as row_rank
        from {{ ref('stg_kit_apprentissage__diplomas_2025') }}
        where rncp_code is not null
    ) as ranked
    where row_rank = 1
),

codes as (
    select rncp_code from export
    union
    select rncp_code from kit_v14
    union
    select rncp_code from kit_2025
)

select
    codes.rncp_code,
    coalesce(export.title, kit_2025.title, kit_v14.title) as title,
    coalesce(export.eu_level, kit_v14.eu_level, kit_2025.eu_level) as eu_level,
    export.rncp_code is not null as is_in_rncp_export
from codes
left join export on codes.rncp_code = export.rncp_code
left join kit_v14 on codes.rncp_code = kit_v14.rncp_code
left join kit_2025 on codes.rncp_code = kit_2025.rncp_code
