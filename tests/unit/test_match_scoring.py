"""Match scoring on small hand-built inputs: the documented score, radius widening, mobility radius."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from matching.candidate_matches import CandidateInputs, match_candidates
from matching.config import TRAINING_MATCHES
from matching.geo import haversine_km
from matching.training_matches import MatchInputs, match_trainings

METZ = (49.1197, 6.1763)
NANCY = (48.6937, 6.1834)  # about 47 km south of Metz
STRASBOURG = (48.5839, 7.7455)  # about 130 km from Metz
PARIS = (48.8566, 2.3522)


def _postings(*rows: tuple[str, str, tuple[float, float], str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"posting_id": pid, "rome_code": rome, "latitude": point[0], "longitude": point[1], "region_code": region}
            for pid, rome, point, region in rows
        ]
    )


def _trainings(*rows: tuple[str, tuple[float, float], str, float | None]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "training_id": tid,
                "latitude": point[0],
                "longitude": point[1],
                "region_code": region,
                "employment_rate": rate,
            }
            for tid, point, region, rate in rows
        ]
    )


def _links(*rows: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"training_id": tid, "rome_code": rome, "link_method": "catalogue_rome", "confidence": 1.0}
            for tid, rome in rows
        ]
    )


NO_MOBILITY = pd.DataFrame({"rome_code": pd.Series(dtype=str), "target_rome_code": pd.Series(dtype=str)})
NO_SKILLS = pd.DataFrame({"training_id": pd.Series(dtype=str), "skill_code": pd.Series(dtype="int64")})


def test_ranking_follows_the_documented_score() -> None:
    postings = _postings(("p1", "M1811", METZ, "44"))
    posting_skills = pd.DataFrame(
        {
            "posting_id": ["p1", "p1", "p1"],
            "skill_code": [10, 20, 30],
            "requirement": ["required", "wished", None],
            "label": ["SQL", "Python", "Spark"],
        }
    )
    near_metz = (49.10, 6.20)
    trainings = _trainings(
        ("t_required", near_metz, "44", None),  # teaches the required skill (weight 2 of 4)
        ("t_wished", near_metz, "44", 0.9),  # teaches one wished skill (1 of 4), good outcome
        ("t_neighbour", near_metz, "44", 0.7),  # mobility neighbour teaching everything
    )
    links = _links(("t_required", "M1811"), ("t_wished", "M1811"), ("t_neighbour", "M1805"))
    taught = pd.DataFrame(
        {
            "training_id": ["t_required", "t_wished", "t_neighbour", "t_neighbour", "t_neighbour"],
            "skill_code": [10, 20, 10, 20, 30],
        }
    )
    mobility = pd.DataFrame({"rome_code": ["M1811"], "target_rome_code": ["M1805"]})
    result = match_trainings(MatchInputs(postings, posting_skills, trainings, links, taught, mobility))

    distance = haversine_km(*METZ, *near_metz)
    proximity = math.exp(-distance / 30)
    median_rate = 0.8  # median of the known rates 0.9 and 0.7 stands in for the unknown one
    weights = TRAINING_MATCHES
    expected = {
        "t_required": weights.weight_coverage * 0.5
        + weights.weight_proximity * proximity
        + weights.weight_outcome * median_rate,
        "t_wished": weights.weight_coverage * 0.25
        + weights.weight_proximity * proximity
        + weights.weight_outcome * 0.9,
        "t_neighbour": weights.mobility_factor
        * (weights.weight_coverage * 1.0 + weights.weight_proximity * proximity + weights.weight_outcome * 0.7),
    }
    scores = dict(zip(result["training_id"], result["score"], strict=True))
    for training_id, score in expected.items():
        assert scores[training_id] == pytest.approx(score, abs=1e-5)
    assert result["training_id"].tolist() == sorted(expected, key=expected.get, reverse=True)
    assert result["rank"].tolist() == [1, 2, 3]
    required_row = result.set_index("training_id").loc["t_required"]
    assert required_row["covered_skills"] == "10 SQL"
    assert required_row["missing_skills"] == "20 Python; 30 Spark"
    assert result.set_index("training_id").loc["t_neighbour", "occupation_link"] == "mobility_neighbour"


def test_radius_widens_only_when_nothing_is_found() -> None:
    postings = _postings(
        ("p_near", "M1811", METZ, "44"),  # a training at 2 km and one in Nancy: keeps only 30 km
        ("p_sixty", "K2204", METZ, "44"),  # nearest training in Nancy (47 km): widens to 60 km
        ("p_region", "F1701", METZ, "44"),  # only Strasbourg, same region: widens to the region
        ("p_france", "A1101", METZ, "44"),  # only Paris: widens to France
    )
    trainings = _trainings(
        ("t_metz", (49.10, 6.20), "44", None),
        ("t_nancy_data", NANCY, "44", None),
        ("t_nancy_clean", NANCY, "44", None),
        ("t_strasbourg", STRASBOURG, "44", None),
        ("t_paris", PARIS, "11", None),
    )
    links = _links(
        ("t_metz", "M1811"),
        ("t_nancy_data", "M1811"),
        ("t_nancy_clean", "K2204"),
        ("t_strasbourg", "F1701"),
        ("t_paris", "A1101"),
    )
    no_posting_skills = pd.DataFrame(columns=["posting_id", "skill_code", "requirement", "label"])
    result = match_trainings(MatchInputs(postings, no_posting_skills, trainings, links, NO_SKILLS, NO_MOBILITY))
    by_posting = {pid: group for pid, group in result.groupby("posting_id")}
    assert by_posting["p_near"]["training_id"].tolist() == ["t_metz"]
    assert by_posting["p_near"]["radius_km"].tolist() == [30.0]
    assert by_posting["p_sixty"]["training_id"].tolist() == ["t_nancy_clean"]
    assert by_posting["p_sixty"]["radius_km"].tolist() == [60.0]
    assert by_posting["p_region"]["radius_label"].tolist() == ["region"]
    assert by_posting["p_region"]["distance_km"].iloc[0] == pytest.approx(haversine_km(*METZ, *STRASBOURG), abs=0.01)
    assert by_posting["p_france"]["radius_label"].tolist() == ["france"]
    assert by_posting["p_france"]["training_id"].tolist() == ["t_paris"]


def test_candidate_outside_their_own_radius_is_never_matched() -> None:
    postings = _postings(("p1", "M1811", METZ, "44"))
    posting_skills = pd.DataFrame(
        {
            "posting_id": ["p1", "p1"],
            "skill_code": [10, 20],
            "requirement": ["required", "wished"],
            "label": ["SQL", "Python"],
        }
    )
    candidates = pd.DataFrame(
        {
            "candidate_id": ["c_nancy_short", "c_nancy_long", "c_metz", "c_other_job"],
            "latitude": [NANCY[0], NANCY[0], METZ[0], METZ[0]],
            "longitude": [NANCY[1], NANCY[1], METZ[1], METZ[1]],
            # Nancy is 47 km from Metz: 40 km is too short, 50 km reaches it.
            "max_distance_km": [40.0, 50.0, 5.0, 100.0],
            "is_synthetic": [False] * 4,
        }
    )
    sought = pd.DataFrame(
        {
            "candidate_id": ["c_nancy_short", "c_nancy_long", "c_metz", "c_other_job"],
            "rome_code": ["M1811", "M1811", "M1811", "K2204"],
        }
    )
    held = pd.DataFrame({"candidate_id": ["c_nancy_short", "c_nancy_long", "c_metz"], "skill_code": [10, 10, 20]})
    trainings = _trainings(("t_python", (48.70, 6.18), "44", None), ("t_sql_far", STRASBOURG, "44", None))
    links = _links(("t_python", "M1811"), ("t_sql_far", "M1811"))
    taught = pd.DataFrame({"training_id": ["t_python", "t_sql_far"], "skill_code": [20, 10]})
    result = match_candidates(
        MatchInputs(postings, posting_skills, trainings, links, taught, NO_MOBILITY),
        CandidateInputs(candidates, sought, held),
    )
    assert result["candidate_id"].tolist() == ["c_nancy_long", "c_metz"]
    assert result["score"].tolist() == pytest.approx([2 / 3, 1 / 3])
    long_row = result.set_index("candidate_id").loc["c_nancy_long"]
    assert long_row["gap_skills"] == "20 Python"
    # the Python training is 1 km from the candidate: it closes the whole gap
    assert long_row["closing_training_id"] == "t_python"
    assert long_row["closing_training_gap_share"] == pytest.approx(1.0)
    metz_row = result.set_index("candidate_id").loc["c_metz"]
    # the SQL gap is taught only in Strasbourg, beyond the candidate's 5 km: no closing training
    assert pd.isna(metz_row["closing_training_id"])
    assert bool(metz_row["is_training_needed"]) is True
    assert (result["distance_km"] <= result["candidate_max_distance_km"]).all()
