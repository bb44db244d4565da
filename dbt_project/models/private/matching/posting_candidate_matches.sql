-- Top 10 candidates per posting of the region: see matching/candidate_matches.py for the rules.
with matches as (
    select * from {{ ref('stg_matching__posting_candidate_matches') }}
),

postings as (
    select posting_id, rome_code as posting_rome_code from {{ ref('job_postings') }}
),

explained as (
    select
        matches.posting_id,
        matches.candidate_id,
        matches.rank,
        matches.score,
        matches.distance_km,
        matches.candidate_max_distance_km,
        matches.covered_skills,
        matches.gap_skill_codes,
        matches.gap_skills,
        matches.gap_weight_share,
        matches.is_training_needed,
        matches.closing_training_id,
        matches.closing_training_gap_share,
        matches.closing_training_distance_km,
        matches.is_synthetic,
        postings.posting_rome_code
    from matches
    join postings using (posting_id)
)

select * from explained
