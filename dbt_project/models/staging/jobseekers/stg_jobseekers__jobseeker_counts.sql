-- codgeo mixes levels: 'reg44' is a région, 2-3 characters a département, 5 a commune.
with source as (
    select * from {{ source('jobseekers', 'jobseekers_by_commune') }}
),

renamed as (
    select
        case
            when codgeo like 'reg%' then 'region'
            when length(codgeo) <= 3 then 'departement'
            else 'commune'
        end as territory_level,
        case when codgeo like 'reg%' then substr(codgeo, 4) else codgeo end as territory_code,
        codgeo as published_territory_code,
        month,
        year as month_label,
        demandeurs_emploi as jobseekers,
        -- The published file repeats 3,000 (codgeo, month) keys, often with different values;
        -- all rows are kept and flagged, none is chosen.
        count(*) over (partition by codgeo, month) > 1 as is_duplicated_key,
        _source_file,
        _row_number,
        _ingested_at
    from source
)

select * from renamed
