with source as (
    select * from {{ source('matching', 'posting_training_matches') }}
),

renamed as (
    select
        posting_id,
        training_id,
        cast(rank as integer) as rank,
        score,
        coverage,
        proximity,
        outcome_score,
        employment_rate,
        distance_km,
        radius_km,
        radius_label,
        occupation_link,
        matched_rome_code,
        link_method,
        link_confidence,
        covered_skill_codes,
        covered_skills,
        missing_skill_codes,
        missing_skills,
        posting_skill_weight,
        _ingested_at
    from source
)

select * from renamed
