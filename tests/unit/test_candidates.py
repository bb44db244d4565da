"""Candidate ingestion: pseudonymisation, validation, quarantine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.candidates import ID_PREFIX, parse_candidates, pseudonymise, quarantined_columns
from ingestion.errors import SourceFileError

HEADER = "candidate_ref,sought_rome_codes,skill_codes,commune_code,max_distance_km,gender,registered_at\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "candidates.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_pseudonym_never_equals_the_raw_reference_and_depends_on_the_salt(tmp_path: Path) -> None:
    path = _write(tmp_path, "FT-123,M1811;M1805,100023;100063,57463,30,F,2025-01-15\nFT-124,K2204,,54395,20,,\n")
    first = parse_candidates(path, "salt-one", is_synthetic=False)
    second = parse_candidates(path, "salt-two", is_synthetic=False)
    ids = first.rows["candidate_id"].tolist()
    assert len(ids) == 2
    assert all(candidate_id.startswith(ID_PREFIX) and len(candidate_id) == len(ID_PREFIX) + 20 for candidate_id in ids)
    assert "FT-123" not in ids and "FT-124" not in ids
    assert "candidate_ref" not in first.rows.columns
    assert not (first.rows.astype(str) == "FT-123").any().any()
    assert ids != second.rows["candidate_id"].tolist()
    # stable for a given salt, so reruns join
    assert ids == parse_candidates(path, "salt-one", is_synthetic=False).rows["candidate_id"].tolist()
    row = first.rows.iloc[0]
    assert row["sought_rome_codes"] == "M1811;M1805" and row["max_distance_km"] == 30.0
    assert bool(row["is_synthetic"]) is False


def test_invalid_rows_go_to_quarantine_with_reasons_and_no_raw_reference(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "FT-1,M1811,,57463,30,F,2025-01-15\n"
        "FT-2,XX,,57463,30,,\n"
        "FT-3,M1811,,57463,abc,M,\n"
        "FT-4,M1811,,57463,500,M,\n"
        "FT-5,M1811,,5746,30,M,\n"
        "FT-6,M1811,,57463,30,X,\n"
        "FT-1,M1811,,57463,20,M,\n",
    )
    parsed = parse_candidates(path, "salt", is_synthetic=False)
    assert len(parsed.rows) == 1
    assert parsed.rows_accounted == 7
    reasons = sorted(parsed.rejects["reject_reason"])
    assert reasons == sorted(
        [
            "column 'sought_rome_codes': expected ROME codes like M1811 separated by ';', found 'XX'",
            "column 'max_distance_km': expected a number, found 'abc'",
            "column 'max_distance_km': expected 1 to 200 km, found 500.0",
            "column 'commune_code': expected a 5-character INSEE commune code, found '5746'",
            "column 'gender': expected F, M or empty, found 'X'",
            "column 'candidate_ref': the same reference appears earlier in the file",
        ]
    )
    assert "candidate_ref" not in parsed.rejects.columns
    assert not parsed.rejects.astype(str).apply(lambda column: column.str.startswith("FT-")).any().any()
    # what logs and run metadata may show: rows per column, no value the reasons quote
    summary = quarantined_columns(parsed.rejects)
    assert summary == {"candidate_ref": 1, "commune_code": 1, "gender": 1, "max_distance_km": 2, "sought_rome_codes": 1}
    assert "5746" not in str(summary) and "XX" not in str(summary)
    assert quarantined_columns(parsed.rejects.iloc[0:0]) == {}


def test_missing_required_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    path.write_text("candidate_ref,commune_code\nFT-1,57463\n", encoding="utf-8")
    with pytest.raises(
        SourceFileError, match=r"candidates.csv: header: expected columns \['sought_rome_codes', 'max_distance_km'\]"
    ):
        parse_candidates(path, "salt", is_synthetic=False)


def test_empty_salt_is_refused() -> None:
    import pandas as pd

    with pytest.raises(ValueError, match="salt"):
        pseudonymise(pd.Series(["FT-1"]), "")
