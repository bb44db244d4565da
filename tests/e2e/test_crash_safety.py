"""A run killed (SIGKILL) while landing or while dbt builds leaves nothing a rerun cannot repair.

Each test starts `passerelle run` in its own process group, waits for a marker of the phase
(landed manifests, dbt's log lines), kills the whole group with SIGKILL, reruns, and checks that
the raw zone, the warehouse and the published copy are complete, with no duplicate row.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ingestion.catalog import RAW_TABLES
from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment, run_pipeline

pytestmark = pytest.mark.e2e

# The bundled offers fall into 169 creation days, one partition each.
BUNDLED_OFFER_DAYS = 169
# every other source table, the offers' days, and the candidates
RAW_PARTITIONS = len(RAW_TABLES) - 1 + BUNDLED_OFFER_DAYS + 1
# `passerelle run`'s progress line once dbt has built the job_postings mart: later dbt steps
# (matches, indicators) are still to come, so the kill falls inside the dbt build.
DBT_MARKER = "marts/job_postings"


def _manifests(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "raw").glob("*/*/*/_manifest.json"))


def _kill_run_when(data_dir: Path, log: Path, ready: Callable[[], bool], timeout: float = 1200) -> float:
    """Start `passerelle run`, SIGKILL its process group once ``ready()``; return seconds to the kill."""
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "passerelle"), "run"], cwd=REPOSITORY_ROOT, env=pipeline_environment(data_dir),
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            while not ready():
                assert process.poll() is None, "the run ended before the marker: " + log.read_text()[-3000:]
                assert time.monotonic() - started < timeout, "no marker within the timeout"
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert process.returncode == -signal.SIGKILL
    return time.monotonic() - started


def _assert_complete_without_duplicates(data_dir: Path) -> dict[str, int]:
    """Raw zone, warehouse and published copy after a successful rerun; returns a few row counts."""
    manifests = _manifests(data_dir)
    assert len(manifests) == RAW_PARTITIONS
    assert not [path for path in (data_dir / "raw" / "_scratch").iterdir()]
    assert not [path for path in (data_dir / "published" / "_scratch").iterdir()]
    counts: dict[str, int] = {}
    with duckdb.connect() as connection:
        for manifest_path in manifests:
            manifest = json.loads(manifest_path.read_text())
            files = sorted(manifest_path.parent.glob("*.parquet"))
            assert [file.name for file in files] == ["part-0.parquet"], manifest_path
            rows = connection.execute(f"select count(*) from read_parquet('{files[0]}')").fetchone()[0]
            # no duplicate: exactly the rows the manifest counted, and every source record accounted for
            assert rows == manifest["rows"], manifest_path
            if manifest["rows_read"] is not None:
                assert manifest["rows_read"] == manifest["rows"] + manifest["rows_quarantined"], manifest_path
            counts[f"raw.{manifest['source']}.{manifest['table']}"] = rows
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        postings, distinct_postings = warehouse.execute(
            "select count(*), count(distinct posting_id) from marts.job_postings"
        ).fetchone()
        offer_ids = warehouse.execute(
            "select count(distinct offer_id) from read_parquet(?)",
            [str(data_dir / "raw" / "france_travail" / "job_offers" / "*" / "*.parquet")],
        ).fetchone()[0]
        # one posting per offer id (an offer landed in two versions keeps its latest)
        assert postings == distinct_postings == offer_ids
        marts = dict(warehouse.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'"
        ).fetchall())
        exact = {name: warehouse.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in marts}
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as published:
        published_counts = {
            name: published.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in exact
        }
    assert published_counts == exact
    assert exact["job_postings"] == postings
    counts.update({f"marts.{name}": rows for name, rows in exact.items()})
    return counts


def test_runs_killed_while_landing_and_while_dbt_builds_are_repaired_by_the_next_run(
    tmp_path: Path, dbt_manifest: Path
) -> None:
    """One data directory through: kill in landing, run again and kill inside dbt, rerun.

    (An analyst reading the published copy during a failed publication is tested against real
    DuckDB connections in tests/unit/test_publish.py.)
    """
    data_dir = tmp_path / "data"
    timings: dict[str, float] = {}
    # 1. killed once a few raw tables are landed, well before all of them
    timings["killed while landing after"] = _kill_run_when(
        data_dir, tmp_path / "killed_landing.log", lambda: len(_manifests(data_dir)) >= 8
    )
    landed_at_kill = len(_manifests(data_dir))
    assert 8 <= landed_at_kill < RAW_PARTITIONS
    assert not (data_dir / "published").exists()
    # 2. the next run lands everything, then is killed while dbt builds the marts
    log = tmp_path / "killed_dbt.log"
    timings["next run killed while dbt builds after"] = _kill_run_when(data_dir, log, lambda: DBT_MARKER in log.read_text())
    # everything is landed but the candidates, unless their step ran before the kill
    assert len(_manifests(data_dir)) in (RAW_PARTITIONS - 1, RAW_PARTITIONS)
    assert not (data_dir / "published").exists()
    # 3. the rerun completes everything, once
    started = time.monotonic()
    run_pipeline(data_dir)
    timings["rerun to completion"] = time.monotonic() - started
    counts = _assert_complete_without_duplicates(data_dir)
    assert counts["raw.geography.regions"] == 18 and counts["raw.rome.fiches"] == 1584
    assert counts["raw.rco.apprenticeship_actions"] == 39510
    print(f"{landed_at_kill} partitions landed at the first kill; timings (s): "
          + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items())
          + f"; rows: {counts}")
