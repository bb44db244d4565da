-- Every commune (and arrondissement) of the configured région has a zone d'emploi and a BMO
-- bassin. Fails listing the unresolved ones, with what is missing.
select
    territory_code as commune_code,
    name,
    departement_code,
    zone_emploi_code,
    bassin_bmo_code,
    case
        when zone_emploi_code is null and bassin_bmo_code is null then 'no zone d''emploi, no bassin'
        when zone_emploi_code is null then 'no zone d''emploi'
        else 'no bassin'
    end as missing
from {{ ref('territories') }}
where territory_level = 'commune'
    and region_code = '{{ var("region_code") }}'
    and (zone_emploi_code is null or bassin_bmo_code is null)
