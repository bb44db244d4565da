-- Near duplicates across offer ids: the same job re-posted under a new id. A posting is a
-- near duplicate when an earlier posting (earlier created_at, or same instant and smaller id)
-- has the same normalised company name, the same commune and the same normalised title, and was
-- created at most 30 days before it. duplicate_of is the earliest such posting. Postings
-- without a company name or a commune are never flagged (nothing to compare them on).
-- The earlier posting may itself be a duplicate of a still earlier one (a chain of re-posts
-- each within 30 days of the previous): every link is flagged, only the first stays counted.
with postings as (
    select
        *,
        {{ normalize_label('company_name') }} as company_name_normalized,
        {{ normalize_title('title') }} as title_normalized
    from {{ ref('int_job_postings_located') }}
),

comparable as (
    select posting_id, created_at, company_name_normalized, resolved_commune_code, title_normalized
    from postings
    where
        company_name_normalized is not null
        and company_name_normalized <> ''
        and resolved_commune_code is not null
        and title_normalized is not null
),

earlier_matches as (
    select
        later.posting_id,
        earlier.posting_id as earlier_posting_id,
        row_number() over (
            partition by later.posting_id
            order by earlier.created_at, earlier.posting_id
        ) as earliest_rank
    from comparable as later
    inner join comparable as earlier
        on
            later.company_name_normalized = earlier.company_name_normalized
            and later.resolved_commune_code = earlier.resolved_commune_code
            and later.title_normalized = earlier.title_normalized
            and (
                earlier.created_at < later.created_at
                or (earlier.created_at = later.created_at and earlier.posting_id < later.posting_id)
            )
            and later.created_at <= earlier.created_at + interval 30 day
)

select
    postings.*,
    earlier_matches.earlier_posting_id as duplicate_of
from postings
left join earlier_matches
    on
        postings.posting_id = earlier_matches.posting_id
        and earlier_matches.earliest_rank = 1
