-- Postings per jobseeker: the bundled postings located in the territory (near duplicates
-- excluded, every creation month) over the jobseekers registered there in the latest month of
-- the DEFM file. Régions and départements use the file's own totals; zones d'emploi and bassins
-- sum its communes (communes of more than 5,000 inhabitants only, so they undercount).
with jobseeker_months as (
    -- The file repeats some keys with different values: average them.
    select territory_level, territory_code, month, avg(jobseekers) as jobseekers
    from {{ ref('stg_jobseekers__jobseeker_counts') }}
    group by territory_level, territory_code, month
),

latest as (
    select * from jobseeker_months
    where month = (select max(months.month) from jobseeker_months as months)
),

communes as (
    select territory_code as commune_code, zone_emploi_code, bassin_bmo_code
    from {{ ref('territories') }}
    where territory_level = 'commune'
),

jobseekers as (
    select territory_level, territory_code, month, jobseekers from latest
    where territory_level in ('region', 'departement')
    union all
    select 'zone_emploi', communes.zone_emploi_code, latest.month, sum(latest.jobseekers)
    from latest join communes on communes.commune_code = latest.territory_code
    where latest.territory_level = 'commune'
    group by communes.zone_emploi_code, latest.month
    union all
    select 'bassin_bmo', communes.bassin_bmo_code, latest.month, sum(latest.jobseekers)
    from latest join communes on communes.commune_code = latest.territory_code
    where latest.territory_level = 'commune'
    group by communes.bassin_bmo_code, latest.month
),

postings as (
    select territory_level, territory_code, count(distinct posting_id) as postings
    from {{ ref('int_job_postings_territories_unpivoted') }}
    group by territory_level, territory_code
)

select
    jobseekers.territory_level,
    jobseekers.territory_code,
    strftime(jobseekers.month, '%Y-%m') as period,
    'postings_per_jobseeker' as indicator_code,
    'all' as breakdown_code,
    cast(coalesce(postings.postings, 0) as double) / nullif(round(jobseekers.jobseekers), 0) as value,
    cast(coalesce(postings.postings, 0) as bigint) as numerator,
    cast(round(jobseekers.jobseekers) as bigint) as denominator,
    cast(null as bigint) as observations,
    'France Travail offers (bundled snapshot) / DEFM jobseekers per commune (STMT)' as source
from jobseekers
left join postings using (territory_level, territory_code)
where jobseekers.territory_code is not null
