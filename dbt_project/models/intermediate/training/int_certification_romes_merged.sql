-- One row per (RNCP fiche, ROME code): the occupations a certification leads to.
-- The RNCP export is authoritative for the fiches it holds (it is current); the Kit v1.4
-- rncp_rome table (January 2021) covers the others. Only codes of the ROME referential are kept
-- (v460: the 532 historic v3 codes and their 4.0 children); the Kit's 223 truncated codes drop out.
with export as (
    select distinct certification_code as rncp_code, rome_code
    from {{ ref('stg_rncp__certification_romes') }}
),

kit_v14 as (
    select distinct rncp_code, rome_code
    from {{ ref('stg_kit_apprentissage__rncp_romes') }}
    where rncp_code is not null
),

occupations as (
    select rome_code from {{ ref('stg_rome__occupations') }}
),

merged as (
    select rncp_code, rome_code, 'rncp_export' as rome_table from export
    union all
    select kit_v14.rncp_code, kit_v14.rome_code, 'kit_v1_4' as rome_table
    from kit_v14
    where not exists (select 1 from export where export.rncp_code = kit_v14.rncp_code)
)

select merged.rncp_code, merged.rome_code, merged.rome_table
from merged
inner join occupations on merged.rome_code = occupations.rome_code
