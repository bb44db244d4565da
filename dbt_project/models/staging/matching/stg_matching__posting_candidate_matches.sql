with source as (
    select * from {{ source('matching', 'posting_candidate_matches') }}
),

renamed as (
    select
        posting_id,
        candidate_id,
        cast(rank as integer) as rank,
        score,
        distance_km,
        candidate_max_distance_km,
        covered_skills,
        gap_skill_codes,
        gap_skills,
        gap_weight_share,
        is_training_needed,
        closing_training_id,
        closing_training_gap_share,
        closing_training_distance_km,
        is_synthetic,
        _ingested_at
    from source
)

select * from renamed
