"""The SYNTHETIC programme cohort: labelled, reproducible, sized as its stated assumptions, and read
by the same parser as an operator's file (pseudonymised, bad rows quarantined with their reason)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from ingestion import synthetic_programme
from ingestion.programme_participants import parse_participants
from ingestion.synthetic_candidates import write_synthetic_file
from ingestion.synthetic_programme import CohortInputs, generate

INPUTS = CohortInputs(
    commune_weights=pd.DataFrame({"commune_code": ["57463", "54395", "67482"], "jobseekers": [900.0, 700.0, 1400.0]}),
    training_ids=[f"rco:T{number}" for number in range(12)],
    women_share=0.5,
    reference_date=date(2025, 11, 1),
)


def test_same_seed_same_cohort_and_every_row_says_synthetic() -> None:
    first, again, other = generate(INPUTS, seed=7), generate(INPUTS, seed=7), generate(INPUTS, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert first["participant_ref"].str.startswith("SYNTHETIC-P").all()
    assert (first["is_synthetic"] == "true").all()


def test_sizes_follow_the_stated_assumptions() -> None:
    cohort = generate(INPUTS, seed=7)
    years = synthetic_programme.COHORT_YEARS
    assert len(cohort) == synthetic_programme.APPLICATIONS_PER_YEAR * years == 1000
    selected = cohort["is_selected"] == "true"
    # 200 trainees a year out of 500 applications: 400 expected over two years, binomial spread.
    assert 340 <= selected.sum() <= 460
    assert cohort.loc[selected, "training_id"].nunique() <= synthetic_programme.PROGRAMME_TRAININGS
    completed = cohort["has_completed"] == "true"
    known = cohort["employed_6_months"] != ""
    assert not (known & ~completed).any()
    in_work = (cohort.loc[known, "employed_6_months"] == "true").mean()
    assert 0.7 <= in_work <= 0.9
    # A status at 12 months only for trainings ended a year before the reference date.
    ended = pd.to_datetime(cohort["training_end_at"].replace("", None))
    known_12 = cohort["employed_12_months"] != ""
    assert (ended[known_12] <= pd.Timestamp("2024-11-01")).all()


def test_the_cohort_is_pseudonymised_on_reading(tmp_path: Path) -> None:
    path = write_synthetic_file(tmp_path / "programme_participants_SYNTHETIC.csv", generate(INPUTS, seed=7))
    parsed = parse_participants(path, "a-salt", is_synthetic=True)
    assert len(parsed.rows) == 1000 and parsed.rejects.empty
    assert parsed.rows["participant_id"].str.match(r"^part_[0-9a-f]{20}$").all()
    assert not parsed.rows.astype(str).apply(lambda column: column.str.contains("SYNTHETIC-P")).any().any()
    assert parsed.rows["is_synthetic"].all()


def test_rows_breaking_the_funnel_order_go_to_quarantine_with_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "programme_participants.csv"
    path.write_text(
        "participant_ref,programme_code,applied_at,is_selected,training_id,training_end_at,has_completed,"
        "employed_6_months,employed_12_months,commune_code,gender\n"
        "R1,NEGE,2025-01-10,true,T1,2025-05-10,true,true,,57463,F\n"
        "R2,NEGE,2025-01-11,false,T1,,true,,,57463,M\n"
        "R3,NEGE,2025-01-12,true,T1,2025-05-12,,true,,57463,\n"
        "R4,NEGE,2025-13-12,true,T1,,,,,57463,F\n"
        "R5,NEGE,2025-01-14,true,T1,,,,,5746,X\n"
        "R6,NE;GE,2025-01-15,true,T1,,,,,57463,F\n",
        encoding="utf-8",
    )
    parsed = parse_participants(path, "a-salt", is_synthetic=False)
    assert len(parsed.rows) == 1 and not parsed.rows["is_synthetic"].any()
    reasons = parsed.rejects.sort_values("_row_number")["reject_reason"].tolist()
    assert "has_completed" in reasons[0] and "selected" in reasons[0]
    assert "employed_6_months" in reasons[1] and "after completion" in reasons[1]
    assert "applied_at" in reasons[2]
    assert "commune_code" in reasons[3] and "gender" in reasons[3]
    assert "programme_code" in reasons[4] and "';'" in reasons[4]
    assert not parsed.rejects.astype(str).apply(lambda column: column.str.fullmatch(r"R\d")).any().any()


def test_a_private_file_with_synthetic_rows_is_refused(tmp_path: Path) -> None:
    path = write_synthetic_file(tmp_path / "programme_participants_SYNTHETIC.csv", generate(INPUTS, seed=7))
    with pytest.raises(ValueError, match="is_synthetic"):
        parse_participants(path, "a-salt", is_synthetic=False)
