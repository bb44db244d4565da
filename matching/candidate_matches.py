"""Top candidates for each job posting, with their skill gap and the nearby training that closes it.

A candidate is considered for a posting only when the posting's ROME code is one of the codes the
candidate seeks and the posting lies within the candidate's own ``max_distance_km`` (their
mobility radius): a candidate outside their radius is never matched. Pairs are blocked by ROME
code and by grid cell (:mod:`matching.geo`) before any distance is computed.

Ranking: ``score`` = coverage of the posting's skill weight by the candidate's skills (required
skills weigh 2, wished or extracted ones 1; 0 when the posting lists no skill), ties broken by
shorter distance, then candidate_id. The top 10 per posting are kept
(:data:`matching.config.CANDIDATE_MATCHES`).

``gap_skills`` are the posting's skills the candidate lacks. ``closing_training_id`` is the
training, among those leading to the posting's ROME code or a mobility neighbour and located
within the candidate's radius of the candidate's commune, that teaches the largest share of the
gap weight (``closing_training_gap_share``); ties go to the nearer, then to the smaller id. It is
NULL when there is no gap or no nearby training teaches any of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from matching.config import CANDIDATE_MATCHES
from matching.geo import CELL_KM, cell_sql, haversine_sql
from matching.training_matches import MatchInputs, prepare_candidate_trainings, register


@dataclass(frozen=True)
class CandidateInputs:
    """Candidate relations (pandas frames or Arrow tables).

    candidates: candidate_id, latitude, longitude, max_distance_km, is_synthetic
    candidate_occupations: candidate_id, rome_code (one row per sought code)
    candidate_skills: candidate_id, skill_code
    """

    candidates: object
    candidate_occupations: object
    candidate_skills: object


def match_candidates(
    inputs: MatchInputs, candidates: CandidateInputs, top_n: int = CANDIDATE_MATCHES.top_candidates
) -> pd.DataFrame:
    connection = duckdb.connect()
    try:
        register(connection, inputs)
        for name in CandidateInputs.__dataclass_fields__:
            connection.register(f"input_{name}", getattr(candidates, name))
        prepare_candidate_trainings(connection)
        row, col = cell_sql("latitude", "longitude")
        connection.execute(
            f"""
            create or replace temp table candidate_points as
            select candidate_id, latitude, longitude, max_distance_km, is_synthetic,
                   {row} as cell_row, {col} as cell_col,
                   cast(ceil(max_distance_km / {CELL_KM}) as bigint) as cell_reach
            from input_candidates
            where latitude is not null and longitude is not null
            """
        )
        connection.execute(
            """
            create or replace temp table candidate_cells as
            select points.candidate_id, points.cell_row + r.step as cell_row,
                   points.cell_col + c.step as cell_col
            from candidate_points as points,
                 range(-(select max(cell_reach) from candidate_points),
                       (select max(cell_reach) from candidate_points) + 1) as r(step),
                 range(-(select max(cell_reach) from candidate_points),
                       (select max(cell_reach) from candidate_points) + 1) as c(step)
            where abs(r.step) <= points.cell_reach and abs(c.step) <= points.cell_reach
            """
        )
        distance = haversine_sql("postings.latitude", "postings.longitude", "people.latitude", "people.longitude")
        connection.execute(
            f"""
            create or replace temp table candidate_pairs as
            select postings.posting_id, people.candidate_id, people.is_synthetic,
                   people.max_distance_km, {distance} as distance_km
            from posting_points as postings
            join (select distinct candidate_id, rome_code from input_candidate_occupations) as sought
              on sought.rome_code = postings.rome_code
            join candidate_cells as cells
              on cells.candidate_id = sought.candidate_id
             and cells.cell_row = postings.cell_row and cells.cell_col = postings.cell_col
            join candidate_points as people on people.candidate_id = sought.candidate_id
            where {distance} <= people.max_distance_km
            """
        )
        connection.execute(
            """
            create or replace temp table ranked_candidates as
            with held as (select distinct candidate_id, skill_code from input_candidate_skills),
            totals as (
                select posting_id, sum(weight) as total_weight from posting_skill_weights group by posting_id
            ),
            pair_skills as (
                select pairs.posting_id, pairs.candidate_id, weights.skill_code, weights.label,
                       weights.weight, held.skill_code is not null as is_held
                from candidate_pairs as pairs
                join posting_skill_weights as weights using (posting_id)
                left join held
                  on held.candidate_id = pairs.candidate_id and held.skill_code = weights.skill_code
            ),
            explained as (
                select posting_id, candidate_id,
                       sum(case when is_held then weight else 0 end) as held_weight,
                       sum(case when is_held then 0 else weight end) as gap_weight,
                       string_agg(skill_code || ' ' || coalesce(label, ''), '; '
                                  order by weight desc, skill_code) filter (where is_held) as covered_skills,
                       list(skill_code order by weight desc, skill_code) filter (where not is_held)
                           as gap_skill_codes,
                       string_agg(skill_code || ' ' || coalesce(label, ''), '; '
                                  order by weight desc, skill_code) filter (where not is_held) as gap_skills
                from pair_skills group by posting_id, candidate_id
            )
            select pairs.*, coalesce(explained.held_weight / nullif(totals.total_weight, 0), 0) as score,
                   coalesce(explained.gap_weight, 0) as gap_weight,
                   coalesce(totals.total_weight, 0) as posting_skill_weight,
                   coalesce(explained.covered_skills, '') as covered_skills,
                   explained.gap_skill_codes, coalesce(explained.gap_skills, '') as gap_skills,
                   row_number() over (
                       partition by pairs.posting_id
                       order by coalesce(explained.held_weight / nullif(totals.total_weight, 0), 0) desc,
                                pairs.distance_km, pairs.candidate_id
                   ) as rank
            from candidate_pairs as pairs
            left join explained using (posting_id, candidate_id)
            left join totals using (posting_id)
            qualify rank <= ?
            """,
            [top_n],
        )
        training_distance = haversine_sql(
            "people.latitude", "people.longitude", "trainings.latitude", "trainings.longitude"
        )
        return connection.execute(
            f"""
            with gaps as (
                select ranked.posting_id, ranked.candidate_id, unnest(ranked.gap_skill_codes) as skill_code
                from ranked_candidates as ranked where ranked.gap_weight > 0
            ),
            gap_weights as (
                select gaps.posting_id, gaps.candidate_id, gaps.skill_code, weights.weight
                from gaps join posting_skill_weights as weights using (posting_id, skill_code)
            ),
            nearby as (
                select distinct ranked.posting_id, ranked.candidate_id, trainings.training_id,
                       {training_distance} as distance_km
                from ranked_candidates as ranked
                join posting_targets as targets using (posting_id)
                join candidate_points as people using (candidate_id)
                join candidate_cells as cells using (candidate_id)
                join occupation_trainings as trainings
                  on trainings.rome_code = targets.target_rome_code
                 and trainings.cell_row = cells.cell_row and trainings.cell_col = cells.cell_col
                where ranked.gap_weight > 0 and {training_distance} <= people.max_distance_km
            ),
            closing as (
                select nearby.posting_id, nearby.candidate_id, nearby.training_id, nearby.distance_km,
                       sum(gap_weights.weight) / any_value(ranked.gap_weight) as gap_share
                from nearby
                join gap_weights using (posting_id, candidate_id)
                join (select distinct training_id, skill_code from input_training_skills) as taught
                  on taught.training_id = nearby.training_id and taught.skill_code = gap_weights.skill_code
                join ranked_candidates as ranked using (posting_id, candidate_id)
                group by nearby.posting_id, nearby.candidate_id, nearby.training_id, nearby.distance_km
                qualify row_number() over (
                    partition by nearby.posting_id, nearby.candidate_id
                    order by gap_share desc, nearby.distance_km, nearby.training_id
                ) = 1
            )
            select ranked.posting_id, ranked.candidate_id, ranked.rank, round(ranked.score, 6) as score,
                   round(ranked.distance_km, 3) as distance_km,
                   ranked.max_distance_km as candidate_max_distance_km,
                   ranked.covered_skills, ranked.gap_skill_codes, ranked.gap_skills,
                   round(ranked.gap_weight / nullif(ranked.posting_skill_weight, 0), 6) as gap_weight_share,
                   ranked.gap_weight > 0 as is_training_needed,
                   closing.training_id as closing_training_id,
                   round(closing.gap_share, 6) as closing_training_gap_share,
                   round(closing.distance_km, 3) as closing_training_distance_km,
                   ranked.is_synthetic
            from ranked_candidates as ranked
            left join closing using (posting_id, candidate_id)
            order by ranked.posting_id, ranked.rank
            """
        ).df()
    finally:
        connection.close()
