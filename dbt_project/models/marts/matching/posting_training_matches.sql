-- Top 5 trainings per posting of the region: see matching/training_matches.py for the score.
with matches as (
    select * from {{ ref('stg_matching__posting_training_matches') }}
),

postings as (
    select posting_id, title as posting_title, rome_code as posting_rome_code, commune_code as posting_commune_code
    from {{ ref('job_postings') }}
),

trainings as (
    select
        training_id, title as training_title, source as training_source,
        commune_code as training_commune_code
    from {{ ref('trainings') }}
),

explained as (
    select
        matches.posting_id,
        matches.training_id,
        matches.rank,
        matches.score,
        matches.coverage,
        matches.proximity,
        matches.outcome_score,
        matches.employment_rate,
        matches.distance_km,
        matches.radius_km,
        matches.radius_label,
        matches.occupation_link,
        matches.matched_rome_code,
        matches.link_method,
        matches.link_confidence,
        matches.covered_skill_codes,
        matches.covered_skills,
        matches.missing_skill_codes,
        matches.missing_skills,
        matches.posting_skill_weight,
        postings.posting_title,
        postings.posting_rome_code,
        postings.posting_commune_code,
        trainings.training_title,
        trainings.training_source,
        trainings.training_commune_code
    from matches
    join postings using (posting_id)
    join trainings using (training_id)
)

select * from explained
