-- One row per offer id: among every version of an offer (the same id in several files or
-- daily ingestions), the latest update wins, then the latest ingestion; the file name and row
-- number only make the choice deterministic when both tie.
with offers as (
    select * from {{ ref('stg_france_travail__job_offers') }}
),

ranked as (
    select
        offers.*,
        count(*) over (partition by posting_id) as versions_seen,
        row_number() over (
            partition by posting_id
            order by
                case when updated_at is null then 1 else 0 end,
                updated_at desc,
                _ingested_at desc,
                _source_file desc,
                _row_number desc
        ) as version_rank
    from offers
)

select * from ranked
where version_rank = 1
