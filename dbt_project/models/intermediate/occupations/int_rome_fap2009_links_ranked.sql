{#-
    One row per (ROME v3 code, FAP2009 family) of the DARES passage. A ROME v3 code listed in
    $FAP9RSQ has one family; a code of $FAP9RAQ reaches 2 or 3 families depending on the job's
    qualification. The primary family is the one reached by the most qualification codes; a tie
    (none in the bundled passage) goes to the smallest FAP2009 code.
-#}
with mappings as (
    select * from {{ ref('stg_fap__rome_fap2009_mappings') }}
),

counted as (
    select
        rome_v3_code,
        fap2009_code,
        max(case when is_by_qualification then 1 else 0 end) = 1 as is_by_qualification,
        count(qualification_code) as qualification_count,
        string_agg(qualification_code, ',' order by qualification_code) as qualification_codes
    from mappings
    group by rome_v3_code, fap2009_code
),

ranked as (
    select
        rome_v3_code,
        fap2009_code,
        is_by_qualification,
        qualification_count,
        qualification_codes,
        row_number() over (
            partition by rome_v3_code
            order by qualification_count desc, fap2009_code
        ) as fap2009_rank,
        count(*) over (partition by rome_v3_code) as fap2009_code_count
    from counted
)

select
    rome_v3_code,
    fap2009_code,
    is_by_qualification,
    qualification_count,
    qualification_codes,
    fap2009_rank,
    fap2009_code_count,
    fap2009_rank = 1 as is_primary
from ranked
