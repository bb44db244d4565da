-- Each kept offer with its ROME code checked against the ROME referential (the occupations
-- mart). A well-formed code that the referential does not hold (a fiche newer than the bundled
-- ROME, a publisher's slip) does not stop the build: the posting is kept and counted, its
-- rome_code is NULL so that no occupation join, count or match uses it, the code as published
-- stays in source_rome_code, and occupation_code_status says why ('unknown_to_rome').
-- set_aside_values lists every such posting with its reason.
with postings as (
    select * from {{ ref('int_job_postings_deduplicated') }}
),

occupations as (
    select rome_code from {{ ref('occupations') }}
)

select
    postings.* exclude (rome_code),
    occupations.rome_code,
    postings.rome_code as source_rome_code,
    case when occupations.rome_code is null then 'unknown_to_rome' else 'known' end as occupation_code_status
from postings
left join occupations
    on postings.rome_code = occupations.rome_code
