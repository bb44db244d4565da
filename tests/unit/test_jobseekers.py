"""Jobseekers per commune (DEFM, 2020-2024) parser on the real bundled file."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from ingestion import jobseekers
from ingestion.errors import SourceFileError


@pytest.fixture(scope="module")
def parsed(snapshot_dir: Path):
    return jobseekers.parse(snapshot_dir)


def test_rows_months_and_territories(parsed) -> None:
    rows = parsed.rows
    assert len(rows) == 147420 and len(parsed.rejects) == 0
    assert rows["codgeo"].nunique() == 2403
    assert rows["month"].nunique() == 60
    assert (min(rows["month"]), max(rows["month"])) == (dt.date(2020, 1, 1), dt.date(2024, 12, 1))
    first = rows.iloc[0]
    assert (first["codgeo"], first["year"], first["month"], first["demandeurs_emploi"]) == (
        "01053",
        "janvier_2020",
        dt.date(2020, 1, 1),
        4840,
    )
    assert rows.loc[rows["year"] == "aout_2023", "month"].iloc[0] == dt.date(2023, 8, 1)


def test_duplicated_keys_all_land(parsed) -> None:
    rows = parsed.rows
    per_key = rows.groupby(["codgeo", "month"]).size()
    assert (per_key > 1).sum() == 3000
    assert int((per_key - 1).sum()) == 3240
    nancy = rows[(rows["codgeo"] == "54395") & (rows["year"] == "decembre_2024")]
    assert sorted(nancy["demandeurs_emploi"]) == [2710, 10100]


def test_unknown_month_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    source = snapshot_dir / jobseekers.FOLDER / (jobseekers.FILE_NAME + ".gz")
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
    lines[2] = "01344,janvember_2020,390"
    target = tmp_path / jobseekers.FOLDER / (jobseekers.FILE_NAME + ".gz")
    target.parent.mkdir(parents=True)
    target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    parsed = jobseekers.parse(tmp_path)
    assert len(parsed.rows) == 147419 and parsed.rows_accounted == 147420
    reject = parsed.rejects.iloc[0]
    assert reject["_row_number"] == "2"
    assert reject["reject_reason"] == "column 'month': expected a date (YYYY-MM-DD), found 'janvember_2020'"


def test_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / jobseekers.FOLDER / jobseekers.FILE_NAME
    path.parent.mkdir(parents=True)
    path.write_text("codgeo,YEAR\n01053,janvier_2020\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        jobseekers.parse(tmp_path)
    assert jobseekers.FILE_NAME in str(error.value) and "Demandeurs_Emploi" in str(error.value)
