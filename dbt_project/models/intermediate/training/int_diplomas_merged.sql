-- One row per diploma code (CFD) with the RNCP fiche the Kit apprentissage gives it.
-- Kit v1.4 (January 2021) first, being contemporary with the 2020 catalogues; when a CFD has
-- several fiches there, the first in file order (185 RCO rows concern such CFDs, and the
-- collection-time join took the first as well). Kit 2025 fills CFDs v1.4 does not know.
with kit_v14 as (
    select
        diploma_code,
        rncp_code,
        diploma_title,
        eu_level,
        row_number() over (partition by diploma_code order by _row_number) as row_rank
    from {{ ref('stg_kit_apprentissage__diplomas') }}
),

kit_2025 as (
    select
        diploma_code,
        rncp_code,
        diploma_title,
        eu_level,
        row_number() over (partition by diploma_code order by _row_number) as row_rank
    from {{ ref('stg_kit_apprentissage__diplomas_2025') }}
),

codes as (
    select diploma_code from kit_v14
    union
    select diploma_code from kit_2025
)

select
    codes.diploma_code,
    coalesce(v14.rncp_code, v2025.rncp_code) as rncp_code,
    case
        when v14.rncp_code is not null then 'kit_v1_4'
        when v2025.rncp_code is not null then 'kit_2025'
    end as rncp_table,
    coalesce(v2025.diploma_title, v14.diploma_title) as diploma_title,
    coalesce(v14.eu_level, v2025.eu_level) as eu_level
from codes
left join kit_v14 as v14
    on codes.diploma_code = v14.diploma_code and v14.row_rank = 1
left join kit_2025 as v2025
    on codes.diploma_code = v2025.diploma_code and v2025.row_rank = 1
