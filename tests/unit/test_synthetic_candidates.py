"""The synthetic candidates generator on small open-aggregate inputs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ingestion.candidates import parse_candidates
from ingestion.synthetic_candidates import OpenAggregates, generate, write_synthetic_file


@pytest.fixture
def aggregates() -> OpenAggregates:
    return OpenAggregates(
        commune_weights=pd.DataFrame({"commune_code": ["57463", "54395", "67482"], "jobseekers": [900.0, 100.0, 0.0]}),
        occupation_mix=pd.DataFrame({"rome_code": ["M1811", "K2204"], "postings": [3, 1]}),
        mobility=pd.DataFrame({"rome_code": ["M1805"], "target_rome_code": ["M1811"]}),
        occupation_items=pd.DataFrame(
            {
                "rome_code": ["M1811", "M1811", "M1805", "M1805", "K2204"],
                "skill_code": [1, 2, 3, 4, 5],
                "is_core": [True, False, True, True, True],
            }
        ),
        women_share=0.5,
        reference_date=date(2026, 11, 29),
    )


def test_generator_follows_the_aggregates_and_is_reproducible(aggregates: OpenAggregates) -> None:
    first = generate(aggregates, count=4000, seed=7)
    again = generate(aggregates, count=4000, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == 4000
    assert first["candidate_ref"].str.match(r"^SYNTHETIC-\d{6}$").all()
    assert (first["is_synthetic"] == "true").all()
    # communes in proportion to jobseekers: 90 % in 57463, none in the zero-weight commune
    assert first["commune_code"].value_counts(normalize=True)["57463"] == pytest.approx(0.9, abs=0.02)
    assert "67482" not in set(first["commune_code"])
    sought_first = first["sought_rome_codes"].str.split(";").str[0]
    assert (sought_first == "M1811").mean() == pytest.approx(0.75, abs=0.03)
    retrained = first["sought_rome_codes"] == "M1811;M1805"
    assert retrained.sum() > 0
    # a retrained candidate holds skills of the origin occupation only
    held = first.loc[retrained, "skill_codes"].dropna().str.split(";").explode()
    assert set(held) <= {"3", "4"}
    assert set(first["max_distance_km"]) <= {10.0, 20.0, 30.0, 50.0}
    assert first["registered_at"].between("2024-11-29", "2026-11-29").all()


def test_written_file_is_labelled_and_ingests_as_synthetic(aggregates: OpenAggregates, tmp_path: Path) -> None:
    candidates = generate(aggregates, count=50, seed=1)
    with pytest.raises(ValueError, match="_SYNTHETIC.csv"):
        write_synthetic_file(tmp_path / "candidates.csv", candidates)
    path = write_synthetic_file(tmp_path / "candidates_SYNTHETIC.csv", candidates)
    parsed = parse_candidates(path, "salt", is_synthetic=True)
    assert len(parsed.rows) == 50 and len(parsed.rejects) == 0
    assert parsed.rows["is_synthetic"].all()
