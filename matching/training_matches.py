"""Top trainings for each job posting: blocked by occupation and distance, ranked by a documented score.

For each posting, the trainings considered are those linked to the posting's ROME code or to one of
its ROME mobility neighbours (``unix_rubrique_mobilite``). The search widens only when it finds
nothing, as La Bonne Alternance does: trainings within 30 km of the posting; if there are none,
within 60 km; if none, anywhere in the posting's region; if none, anywhere in France. The radius
used is recorded (``radius_km`` 30 or 60; NULL with ``radius_label`` ``region``/``france``).

Score (0 to 1), per (posting, training):

    score = occupation_factor * (0.60 * coverage + 0.25 * proximity + 0.15 * outcome)

- ``coverage``: share of the posting's skill weight that the training teaches, where a required
  skill weighs 2 and a wished or extracted skill 1 (0 when the posting lists no skill);
- ``proximity`` = exp(-distance_km / 30); 0 when a position is unknown;
- ``outcome``: the training's employment rate 6 months after (0 to 1) where known, else the
  median rate of the trainings that have one (unknown neither rewards nor penalises);
- ``occupation_factor``: 1 when the training leads to the posting's own ROME code, 0.85 when it
  leads to a mobility neighbour.

The figures above (radii, weights, scale, factor, skill weights, top 5 per posting) are the
settings of :data:`matching.config.TRAINING_MATCHES`.

Ties break on shorter distance, then training_id. Cost: the occupation join bounds the pairs by
postings x trainings per occupation, and the 30/60 km tiers join on grid cells (see
:mod:`matching.geo`), so no posting is ever paired with all trainings.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from matching.config import TRAINING_MATCHES
from matching.geo import cell_reach, cell_sql, haversine_sql


@dataclass(frozen=True)
class MatchInputs:
    """The relations the matcher reads (pandas frames or Arrow tables).

    postings: posting_id, rome_code, latitude, longitude, region_code
    posting_skills: posting_id, skill_code, requirement ('required' / 'wished' / NULL), label
    trainings: training_id, latitude, longitude, region_code, employment_rate (0..1 or NULL)
    training_occupations: training_id, rome_code, link_method, confidence
    training_skills: training_id, skill_code
    mobility: rome_code, target_rome_code
    """

    postings: object
    posting_skills: object
    trainings: object
    training_occupations: object
    training_skills: object
    mobility: object


def register(connection: duckdb.DuckDBPyConnection, inputs: MatchInputs) -> None:
    for name in MatchInputs.__dataclass_fields__:
        connection.register(f"input_{name}", getattr(inputs, name))


def prepare_candidate_trainings(connection: duckdb.DuckDBPyConnection) -> None:
    """Temp tables shared by both matchers: points with grid cells, occupation targets, weights."""
    posting_row, posting_col = cell_sql("latitude", "longitude")
    connection.execute(
        f"""
        create or replace temp table posting_points as
        select posting_id, rome_code, latitude, longitude, region_code,
               {posting_row} as cell_row, {posting_col} as cell_col
        from input_postings
        """
    )
    connection.execute(
        f"""
        create or replace temp table training_points as
        select training_id, latitude, longitude, region_code, employment_rate,
               {posting_row} as cell_row, {posting_col} as cell_col
        from input_trainings
        """
    )
    connection.execute(
        f"""
        create or replace temp table posting_targets as
        with reached as (
            select posting_id, rome_code as target_rome_code, 'same_occupation' as occupation_link,
                   1.0 as occupation_factor
            from input_postings
            union all
            select postings.posting_id, mobility.target_rome_code, 'mobility_neighbour',
                   {TRAINING_MATCHES.mobility_factor}
            from input_postings as postings
            join input_mobility as mobility on mobility.rome_code = postings.rome_code
            where mobility.target_rome_code <> postings.rome_code
        )
        select posting_id, target_rome_code, occupation_link, occupation_factor
        from reached
        qualify row_number() over (
            partition by posting_id, target_rome_code order by occupation_factor desc
        ) = 1
        """
    )
    connection.execute(
        """
        create or replace temp table occupation_trainings as
        select occupations.rome_code, occupations.training_id, occupations.link_method,
               occupations.confidence, points.latitude, points.longitude, points.region_code,
               points.cell_row, points.cell_col
        from input_training_occupations as occupations
        join training_points as points using (training_id)
        """
    )
    connection.execute(
        f"""
        create or replace temp table posting_skill_weights as
        select posting_id, skill_code, any_value(label) as label,
               max(case when requirement = 'required' then {TRAINING_MATCHES.required_weight} else {TRAINING_MATCHES.other_weight} end)
                   as weight
        from input_posting_skills
        group by posting_id, skill_code
        """
    )


def _pairs_sql(where_join: str, distance_filter: str, extra_from: str = "") -> str:
    distance = haversine_sql("points.latitude", "points.longitude", "trainings.latitude", "trainings.longitude")
    return f"""
        select targets.posting_id, trainings.training_id, trainings.rome_code as matched_rome_code,
               targets.occupation_link, targets.occupation_factor, trainings.link_method,
               trainings.confidence as link_confidence, {distance} as distance_km
        from posting_targets as targets
        join posting_points as points using (posting_id)
        {extra_from}
        join occupation_trainings as trainings
          on trainings.rome_code = targets.target_rome_code and {where_join}
        where {distance_filter}
    """


def build_pairs(connection: duckdb.DuckDBPyConnection) -> None:
    """Candidate (posting, training) pairs with the radius tier each posting needed."""
    largest = max(TRAINING_MATCHES.near_radii_km)
    reach = cell_reach(largest)
    connection.execute(
        f"create or replace temp table cell_offsets as "
        f"select row_offset, col_offset from range(-{reach}, {reach + 1}) as r(row_offset), "
        f"range(-{reach}, {reach + 1}) as c(col_offset)"
    )
    near_sql = _pairs_sql(
        "trainings.cell_row = points.cell_row + offsets.row_offset "
        "and trainings.cell_col = points.cell_col + offsets.col_offset",
        "points.cell_row is not null",
        extra_from="cross join cell_offsets as offsets",
    )
    tier_cases = " ".join(
        f"when distance_km <= {radius} then {radius}" for radius in sorted(TRAINING_MATCHES.near_radii_km)
    )
    connection.execute(
        f"""
        create or replace temp table near_pairs as
        with pairs as ({near_sql}),
        tiered as (
            select *, case {tier_cases} end as radius_km from pairs where distance_km <= {largest}
        )
        select *, case when radius_km = {min(TRAINING_MATCHES.near_radii_km)} then '{int(min(TRAINING_MATCHES.near_radii_km))}km'
                       else '{int(largest)}km' end as radius_label
        from tiered
        qualify radius_km = min(radius_km) over (partition by posting_id)
        """
    )
    region_sql = _pairs_sql(
        "trainings.region_code = points.region_code",
        "targets.posting_id not in (select posting_id from near_pairs)",
    )
    connection.execute(
        f"create or replace temp table region_pairs as "
        f"select *, cast(null as double) as radius_km, 'region' as radius_label from ({region_sql})"
    )
    france_sql = _pairs_sql(
        "true",
        "targets.posting_id not in (select posting_id from near_pairs) "
        "and targets.posting_id not in (select posting_id from region_pairs)",
    )
    connection.execute(
        f"create or replace temp table france_pairs as "
        f"select *, cast(null as double) as radius_km, 'france' as radius_label from ({france_sql})"
    )
    connection.execute(
        """
        create or replace temp table pairs as
        select * from (
            select * from near_pairs
            union all by name select * from region_pairs
            union all by name select * from france_pairs
        )
        qualify row_number() over (
            partition by posting_id, training_id
            order by occupation_factor desc, link_confidence desc nulls last, matched_rome_code
        ) = 1
        """
    )


def match_trainings(inputs: MatchInputs, top_n: int = TRAINING_MATCHES.top_trainings) -> pd.DataFrame:
    """The ``top_n`` trainings per posting with score, radius and skill explanation."""
    connection = duckdb.connect()
    try:
        register(connection, inputs)
        prepare_candidate_trainings(connection)
        build_pairs(connection)
        return connection.execute(
            f"""
            with median_outcome as (
                select coalesce(median(employment_rate), 0.5) as rate
                from input_trainings where employment_rate is not null
            ),
            posting_totals as (
                select posting_id, sum(weight) as total_weight
                from posting_skill_weights group by posting_id
            ),
            pair_skills as (
                select pairs.posting_id, pairs.training_id, weights.skill_code, weights.label,
                       weights.weight, taught.skill_code is not null as is_covered
                from pairs
                join posting_skill_weights as weights using (posting_id)
                left join (select distinct training_id, skill_code from input_training_skills) as taught
                  on taught.training_id = pairs.training_id and taught.skill_code = weights.skill_code
            ),
            explained as (
                select posting_id, training_id,
                       sum(case when is_covered then weight else 0 end) as covered_weight,
                       list(skill_code order by weight desc, skill_code) filter (where is_covered)
                           as covered_skill_codes,
                       list(skill_code order by weight desc, skill_code) filter (where not is_covered)
                           as missing_skill_codes,
                       string_agg(skill_code || ' ' || coalesce(label, ''), '; '
                                  order by weight desc, skill_code) filter (where is_covered)
                           as covered_skills,
                       string_agg(skill_code || ' ' || coalesce(label, ''), '; '
                                  order by weight desc, skill_code) filter (where not is_covered)
                           as missing_skills
                from pair_skills
                group by posting_id, training_id
            ),
            scored as (
                select pairs.*, trainings.employment_rate,
                       coalesce(explained.covered_weight / nullif(totals.total_weight, 0), 0) as coverage,
                       coalesce(exp(-pairs.distance_km / {TRAINING_MATCHES.proximity_scale_km}), 0) as proximity,
                       coalesce(trainings.employment_rate, median_outcome.rate) as outcome,
                       explained.covered_skill_codes, explained.missing_skill_codes,
                       coalesce(explained.covered_skills, '') as covered_skills,
                       coalesce(explained.missing_skills, '') as missing_skills,
                       coalesce(totals.total_weight, 0) as posting_skill_weight
                from pairs
                join input_trainings as trainings using (training_id)
                cross join median_outcome
                left join explained using (posting_id, training_id)
                left join posting_totals as totals using (posting_id)
            ),
            ranked as (
                select *,
                       occupation_factor * ({TRAINING_MATCHES.weight_coverage} * coverage
                                            + {TRAINING_MATCHES.weight_proximity} * proximity
                                            + {TRAINING_MATCHES.weight_outcome} * outcome) as score
                from scored
            )
            select posting_id, training_id,
                   row_number() over (
                       partition by posting_id order by score desc, distance_km nulls last, training_id
                   ) as rank,
                   round(score, 6) as score, round(coverage, 6) as coverage,
                   round(proximity, 6) as proximity, round(outcome, 6) as outcome_score,
                   employment_rate, round(distance_km, 3) as distance_km, radius_km, radius_label,
                   occupation_link, matched_rome_code, link_method, link_confidence,
                   covered_skill_codes, covered_skills, missing_skill_codes, missing_skills,
                   posting_skill_weight
            from ranked
            qualify rank <= {top_n}
            order by posting_id, rank
            """
        ).df()
    finally:
        connection.close()
