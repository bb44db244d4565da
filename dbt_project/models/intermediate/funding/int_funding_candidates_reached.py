"""Candidates within reach of each (training, target occupation) whose gap it closes, protected.

One row per (training, target occupation) of int_funding_skills_closed with at least one candidate:
``candidates_in_reach`` counts the candidates who seek the occupation (one of their sought ROME
codes, or an occupation the ROME mobility links list as reachable from one of them: retraining
towards a neighbour job is what a training funded before a hire is for), live within ``least(their own max_distance_km, var funding_max_distance_km)`` of the
training (great-circle distance from their commune's town hall to the training's point) and lack at
least one of the skills the training closes for it. The count depends on the training and the
occupation only, not on the territory a plan row shows it in, so the bassin and zone d'emploi rows
of one training print the same number and no territorial difference can be taken between them.

Secrecy (rules and reasons in matching/secrecy.py): primary (below var suppress_below) and
close_count within the trainings of one commune and occupation (their reach is the same and their
skill sets may nest, so a difference of two counts would itself count people). ``low_count``: a
published count below var low_count_below. Working table with the raw counts: never published;
training_funding_plan prints the count only where ``is_suppressed`` is false.
"""

import duckdb
import pandas as pd

from matching.geo import haversine_sql
from matching.secrecy import CLOSE_COUNT, PRIMARY, suppress_close_counts

KM_PER_DEGREE_LATITUDE = 111.0


def model(dbt, session) -> pd.DataFrame:  # noqa: ANN001 (dbt's own objects)
    dbt.config(materialized="table")
    max_distance_km = float(dbt.config.get("funding_max_distance_km"))
    suppress_below = int(dbt.config.get("suppress_below"))
    low_count_below = int(dbt.config.get("low_count_below"))
    connection = duckdb.connect()
    try:
        # dbt reads each ref literally when it parses the model: one call per input.
        inputs = {
            "int_funding_skills_closed": dbt.ref("int_funding_skills_closed"),
            "int_match_trainings_positioned": dbt.ref("int_match_trainings_positioned"),
            "trainings": dbt.ref("trainings").project("training_id, commune_code"),
            "int_candidates_located": dbt.ref("int_candidates_located"),
            "int_candidate_occupations_unnested": dbt.ref("int_candidate_occupations_unnested"),
            "int_candidate_skills_unnested": dbt.ref("int_candidate_skills_unnested"),
            "stg_rome__mobility_links": dbt.ref("stg_rome__mobility_links").project("rome_code, target_rome_code"),
        }
        for name, relation in inputs.items():
            connection.register(name, relation.to_arrow_table())
        distance = haversine_sql("places.latitude", "places.longitude", "people.latitude", "people.longitude")
        counted = connection.execute(
            f"""
            with pairs as (
                select distinct training_id, rome_code from int_funding_skills_closed
            ),
            places as (
                select pairs.training_id, pairs.rome_code, positioned.latitude, positioned.longitude,
                       trainings.commune_code
                from pairs
                join int_match_trainings_positioned as positioned using (training_id)
                join (select training_id, commune_code from trainings) as trainings using (training_id)
                where positioned.latitude is not null
            ),
            targets as (
                -- the occupations a candidate seeks, and those ROME lists as reachable from them
                select candidate_id, rome_code from int_candidate_occupations_unnested
                union
                select sought.candidate_id, mobility.target_rome_code
                from int_candidate_occupations_unnested as sought
                join stg_rome__mobility_links as mobility using (rome_code)
            ),
            people as (
                select located.candidate_id, located.latitude, located.longitude, located.is_synthetic,
                       least(located.max_distance_km, {max_distance_km}) as reach_km, targets.rome_code
                from int_candidates_located as located
                join targets using (candidate_id)
                where located.latitude is not null
            ),
            reached as (
                -- a bounding box on latitude first, so that the distance is computed for near pairs only
                select places.training_id, places.rome_code, places.commune_code, people.candidate_id,
                       people.is_synthetic
                from places
                join people
                  on people.rome_code = places.rome_code
                 and abs(people.latitude - places.latitude) <= people.reach_km / {KM_PER_DEGREE_LATITUDE}
                where {distance} <= people.reach_km
            ),
            lacking as (
                select distinct reached.training_id, reached.rome_code, reached.commune_code,
                       reached.candidate_id, reached.is_synthetic
                from reached
                join int_funding_skills_closed as closed using (training_id, rome_code)
                anti join int_candidate_skills_unnested as held
                  on held.candidate_id = reached.candidate_id and held.skill_code = closed.skill_code
            )
            select training_id, rome_code, commune_code,
                   count(*) as candidates_in_reach,
                   coalesce(bool_or(is_synthetic), false) as is_synthetic
            from lacking
            group by training_id, rome_code, commune_code
            order by training_id, rome_code
            """
        ).df()
    finally:
        connection.close()

    primary = counted["candidates_in_reach"] < suppress_below
    close = suppress_close_counts(
        counted["candidates_in_reach"],
        counted[["commune_code", "rome_code"]],
        primary,
        suppress_below=suppress_below,
    )
    counted["suppression_rule"] = pd.Series(pd.NA, index=counted.index, dtype="string")
    counted.loc[primary, "suppression_rule"] = PRIMARY
    counted.loc[close, "suppression_rule"] = CLOSE_COUNT
    counted["is_suppressed"] = counted["suppression_rule"].notna()
    counted["low_count"] = ~counted["is_suppressed"] & (counted["candidates_in_reach"] < low_count_below)
    counted["candidates_in_reach"] = counted["candidates_in_reach"].astype("int64")
    return counted
