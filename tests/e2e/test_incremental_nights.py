"""An incremental night gives exactly the marts and extraction a full rebuild gives, and redoes only what changed.

On a copy of the shared build (the previous night), a night lands through the raw zone's landing:
the newest bundled day re-read with one offer updated (new title, its competences gone), a new
earlier day holding an offer that an existing posting now near-duplicates (so an old posting's
duplicate_of changes), and a new day holding a near duplicate of an existing posting. The postings
models that read only the raw zone are built by dbt; then the night goes two ways from the same
state: the incremental path (the extraction asset, materialized by Dagster, scores only new and
changed postings with the kept extractor; dbt builds the incremental marts) and the full rebuild
(the extraction rescores every posting with the same extractor; dbt --full-refresh). Every row of
the extraction's two tables and of job_postings, posting_skills and skill_demand must be equal,
and the incremental path must have redone only the changed postings and months (DuckDB keeps a
row that a delete+insert leaves alone in its place, before the rows it inserts).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest

from ingestion import france_travail
from ingestion.landing import INGESTED_AT, PARQUET_NAME, land, partition_path
from ingestion.tables import ParsedTable, empty_rejects
from tests.conftest import DBT_PROJECT_DIR, SNAPSHOT_DIR, VENV_BIN, pipeline_environment

pytestmark = pytest.mark.e2e

INCREMENTAL_MARTS = ("job_postings", "posting_skills", "skill_demand")
# The postings chain: raw offers to the marts (the reference tables it joins are already built).
POSTINGS_MODELS = [
    "path:models/staging/france_travail",
    "path:models/intermediate/postings",
    "path:models/marts/postings",
]
# the models that read the extraction's output, and the extraction's two tables
AFTER_EXTRACTION = ["int_posting_skills_extracted", *INCREMENTAL_MARTS]
EXTRACTION_TABLES = ("extracted_posting_skills", "inferred_posting_occupations")

RE_READ_DAY = "2026-05-04"  # the newest bundled day (150 offers)
EARLIER_DAY = "2026-04-20"  # not bundled: a new partition, a month before
NEW_DAY = "2026-05-05"  # not bundled: the night's new day


@dataclass(frozen=True)
class Night:
    incremental_dir: Path
    full_dir: Path
    updated: str  # the re-read offer whose title changed and competences went
    copied_earlier: str  # the posting that now has an earlier near duplicate
    earlier_copy: str
    copied_later: str
    later_copy: str
    rowids_before: dict[str, pd.DataFrame]  # as the previous night left them
    postings_scored: dict[str, int]  # by the extraction: incremental, full
    seconds: dict[str, float]  # extraction and marts, each way


def _copy_build(source: Path, target: Path) -> None:
    target.mkdir(parents=True)
    for name in ("raw", "derived"):
        shutil.copytree(source / name, target / name)
    shutil.copy2(source / "warehouse.duckdb", target / "warehouse.duckdb")


def _day_rows(data_dir: Path, day: str) -> pd.DataFrame:
    path = partition_path(data_dir, "raw", france_travail.SOURCE, "job_offers", day) / PARQUET_NAME
    return pd.read_parquet(path).drop(columns=[INGESTED_AT])


def _land_day(data_dir: Path, day: str, rows: pd.DataFrame) -> None:
    land(
        data_dir,
        france_travail.SOURCE,
        "job_offers",
        ParsedTable(rows=rows.reset_index(drop=True), rejects=empty_rejects(), files=[]),
        partition=day,
        origin=f"test night: {day}",
    )


def _copy_of(row: pd.DataFrame, offer_id: str, created: str) -> pd.DataFrame:
    """A new offer id with the same company, commune and title as ``row``, created at ``created``."""
    instant = pd.Timestamp(created).tz_localize(UTC).tz_convert(row["date_creation"].dt.tz)
    return row.assign(offer_id=offer_id, date_creation=instant, date_actualisation=instant, _row_number=1)


def _land_the_night(data_dir: Path) -> tuple[str, str, str, str, str]:
    """Re-read RE_READ_DAY with one offer updated; land EARLIER_DAY and NEW_DAY with a copy each."""
    day = _day_rows(data_dir, RE_READ_DAY)
    comparable = day[
        day["entreprise_nom"].notna() & day["lieu_travail_commune"].notna() & day["competences_json"].notna()
    ].sort_values("offer_id")
    updated, copied_earlier, copied_later = comparable["offer_id"].iloc[:3]
    is_updated = day["offer_id"] == updated
    day.loc[is_updated, "intitule"] = "Responsable d'exploitation logistique (H/F)"
    day.loc[is_updated, "date_actualisation"] = day.loc[is_updated, "date_actualisation"] + pd.Timedelta(days=1)
    day.loc[is_updated, "competences_json"] = None
    _land_day(data_dir, RE_READ_DAY, day)
    earlier_copy, later_copy = "INCR0001", "INCR0002"
    _land_day(
        data_dir, EARLIER_DAY, _copy_of(day[day["offer_id"] == copied_earlier], earlier_copy, f"{EARLIER_DAY} 09:00")
    )
    _land_day(data_dir, NEW_DAY, _copy_of(day[day["offer_id"] == copied_later], later_copy, f"{NEW_DAY} 09:00"))
    return updated, copied_earlier, earlier_copy, copied_later, later_copy


def _dbt_run(data_dir: Path, select: list[str], *extra: str) -> float:
    """`dbt run` of ``select`` on ``data_dir``'s warehouse; its wall seconds."""
    started = time.monotonic()
    result = subprocess.run(
        [
            str(VENV_BIN / "dbt"),
            "run",
            "--profiles-dir",
            ".",
            "--target-path",
            str(data_dir.parent / "dbt_target"),
            "--select",
            *select,
            *extra,
        ],
        cwd=DBT_PROJECT_DIR,
        env=pipeline_environment(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return time.monotonic() - started


def _rowids(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            "job_postings": connection.execute("select rowid, posting_id from marts.job_postings").df(),
            "posting_skills": connection.execute("select rowid, posting_id from marts.posting_skills").df(),
            "skill_demand": connection.execute("select rowid, month from marts.skill_demand").df(),
        }


def _extract(data_dir: Path, **config: bool) -> tuple[int, float]:
    """Materialize the extraction asset on ``data_dir``: (postings it scored, wall seconds)."""
    from orchestration.assets.matching import extracted_posting_skills
    from orchestration.resources import PasserellePaths

    paths = PasserellePaths(data_dir=str(data_dir), snapshot_dir=str(SNAPSHOT_DIR), region="44")
    started = time.monotonic()
    result = dg.materialize(
        [extracted_posting_skills],
        resources={"paths": paths},
        run_config={"ops": {"extracted_posting_skills": {"config": config}}},
    )
    seconds = time.monotonic() - started
    assert result.success
    materialization = next(
        event.materialization
        for event in result.get_asset_materialization_events()
        if event.materialization.asset_key.path[-1] == "extracted_posting_skills"
    )
    return int(materialization.metadata["postings_scored"].value), seconds  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def night(built_pipeline: tuple[Path, str], dbt_manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> Night:
    built_dir, _ = built_pipeline
    root = tmp_path_factory.mktemp("incremental_night")
    # Both ways run in one data directory, one after the other, so that every dbt command has the
    # same profile and reuses the partial parse of the first (a full parse costs 15 to 30 s).
    working, before_the_ways = root / "data", root / "before_the_ways"
    incremental_dir, full_dir = root / "incremental", root / "full"
    _copy_build(built_dir, working)
    rowids_before = _rowids(working / "warehouse.duckdb")
    updated, copied_earlier, earlier_copy, copied_later, later_copy = _land_the_night(working)
    # What reads only the raw zone is built once (plain tables), then each way starts from it.
    _dbt_run(working, POSTINGS_MODELS, "--exclude", *AFTER_EXTRACTION)
    _copy_build(working, before_the_ways)
    scored_incremental, extraction_incremental = _extract(working)
    marts_incremental = _dbt_run(working, AFTER_EXTRACTION)
    working.rename(incremental_dir)
    before_the_ways.rename(working)
    scored_full, extraction_full = _extract(working, rescore_all=True)
    marts_full = _dbt_run(working, AFTER_EXTRACTION, "--full-refresh")
    working.rename(full_dir)
    return Night(
        incremental_dir,
        full_dir,
        updated,
        copied_earlier,
        earlier_copy,
        copied_later,
        later_copy,
        rowids_before,
        {"incremental": scored_incremental, "full": scored_full},
        {
            "extraction, incremental": extraction_incremental,
            "extraction, full": extraction_full,
            "marts, incremental": marts_incremental,
            "marts, full refresh": marts_full,
        },
    )


def _differences(night: Night, mart: str) -> tuple[int, int, int]:
    """(rows, rows only in the incremental build, rows only in the full rebuild) of ``mart``."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{night.incremental_dir / 'warehouse.duckdb'}' as incremental (read_only)")
        connection.execute(f"attach '{night.full_dir / 'warehouse.duckdb'}' as full_build (read_only)")
        rows = connection.execute(f"select count(*) from incremental.marts.{mart}").fetchone()[0]  # type: ignore[index]
        only_incremental = connection.execute(
            f"select count(*) from (from incremental.marts.{mart} except all from full_build.marts.{mart})"
        ).fetchone()[0]  # type: ignore[index]
        only_full = connection.execute(
            f"select count(*) from (from full_build.marts.{mart} except all from incremental.marts.{mart})"
        ).fetchone()[0]  # type: ignore[index]
    return rows, only_incremental, only_full


@pytest.mark.parametrize("mart", INCREMENTAL_MARTS)
def test_incremental_night_equals_full_rebuild(night: Night, mart: str) -> None:
    rows, only_incremental, only_full = _differences(night, mart)
    assert rows > 0
    assert (only_incremental, only_full) == (0, 0), f"{mart}: {rows} rows"


@pytest.mark.parametrize("table", EXTRACTION_TABLES)
def test_incremental_extraction_equals_full_rescoring(night: Night, table: str) -> None:
    frames = [
        pd.read_parquet(partition_path(data_dir, "derived", "matching", table, "current") / PARQUET_NAME)
        .drop(columns=[INGESTED_AT])
        .sort_values(["posting_id", "skill_code"] if table == "extracted_posting_skills" else ["posting_id"])
        .reset_index(drop=True)
        for data_dir in (night.incremental_dir, night.full_dir)
    ]
    assert len(frames[0]) > 1000
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_incremental_extraction_scores_only_new_and_changed_postings(night: Night) -> None:
    # the updated offer (new title) and the two copies; the full way scores every posting
    assert night.postings_scored["incremental"] == 3
    with duckdb.connect(str(night.full_dir / "warehouse.duckdb"), read_only=True) as connection:
        postings = connection.execute("select count(*) from marts.job_postings").fetchone()[0]  # type: ignore[index]
    assert night.postings_scored["full"] == postings


def test_the_night_changed_the_postings(night: Night) -> None:
    """The landed night reached the marts: the update, both near duplicates, the re-read day."""
    with duckdb.connect(str(night.incremental_dir / "warehouse.duckdb"), read_only=True) as connection:
        postings = connection.execute(
            "select posting_id, title, duplicate_of from marts.job_postings where posting_id in (?, ?, ?, ?, ?)",
            [night.updated, night.copied_earlier, night.earlier_copy, night.copied_later, night.later_copy],
        ).df()
        structured_of_updated = connection.execute(
            "select count(*) from marts.posting_skills where posting_id = ? and origin = 'structured'", [night.updated]
        ).fetchone()[0]  # type: ignore[index]
    by_id = postings.set_index("posting_id")
    assert by_id.loc[night.updated, "title"] == "Responsable d'exploitation logistique (H/F)"
    assert structured_of_updated == 0
    # The copy landed on an earlier day is now the first of its group: the old posting is its duplicate.
    assert pd.isna(by_id.loc[night.earlier_copy, "duplicate_of"])
    assert by_id.loc[night.copied_earlier, "duplicate_of"] == night.earlier_copy
    assert by_id.loc[night.later_copy, "duplicate_of"] == night.copied_later


def _rewritten(before: pd.DataFrame, after: pd.DataFrame, key: str) -> set[object]:
    """Keys whose rows a run deleted or wrote anew.

    DuckDB appends inserted rows after every row it keeps, and keeps their order (a checkpoint
    may renumber rowids, never reorder): the rows in rowid order are the kept ones, in their old
    order, then the rewritten ones. The kept prefix is the longest one that is a subsequence of
    the rows before; the keys of the rest, and those gone, were rewritten.
    """
    previous = before.sort_values("rowid")[key].tolist()
    current = after.sort_values("rowid")[key].tolist()
    position, kept = 0, 0
    for value in current:
        while position < len(previous) and previous[position] != value:
            position += 1
        if position == len(previous):
            break
        position += 1
        kept += 1
    return set(current[kept:]) | (set(previous) - set(current))


def test_incremental_night_rewrites_only_what_changed(night: Night) -> None:
    after = _rowids(night.incremental_dir / "warehouse.duckdb")
    before = night.rowids_before
    re_read = set(_day_rows(night.incremental_dir, RE_READ_DAY)["offer_id"])
    # Every posting of the re-read day has a new landing; the two copies are new.
    assert _rewritten(before["job_postings"], after["job_postings"], "posting_id") == re_read | {
        night.earlier_copy,
        night.later_copy,
    }
    # Skills: the updated offer (its competences gone) and the two new postings only.
    assert _rewritten(before["posting_skills"], after["posting_skills"], "posting_id") == {
        night.updated,
        night.earlier_copy,
        night.later_copy,
    }
    # Demand: April (the earlier copy) and May 2026 (the update, the re-read day), no other month.
    months = {str(month)[:7] for month in _rewritten(before["skill_demand"], after["skill_demand"], "month")}
    assert months == {"2026-04", "2026-05"}
    assert len(before["skill_demand"]) > 0 and len(set(before["skill_demand"]["month"])) > 10
