"""The whole pipeline through the real CLI: the shared build, then a nightly rerun that is killed
twice before it is allowed to finish.

The rerun works on a copy of the shared build's data directory, as a nightly run works on the
previous night's: it is killed (SIGKILL of its whole process group) once it has re-landed a few raw
partitions, run again and killed while dbt builds the marts, and run a third time to completion.
At each kill, every reader of the raw zone and of `published/` must still find a complete version
(the previous one or the new one, never a gap or a mix); after the last run, every table must hold
exactly what the first build held, with no duplicate row.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
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
# The landing kill falls once this many raw partitions have been re-landed by the rerun.
RELANDED_BEFORE_KILL = 8


def _relation_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        relations = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts')"
        ).fetchall()
        return {
            name: connection.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
            for (name,) in relations
        }


def _published_counts(data_dir: Path) -> dict[str, int]:
    """Row count of every mart of the published copy, read as an analyst reads it."""
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as published:
        names = [
            name
            for (name,) in published.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        return {name: published.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in names}  # type: ignore[index]


def _manifests(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "raw").glob("*/*/*/_manifest.json"))


def _raw_zone_counts(data_dir: Path) -> dict[str, int]:
    """Rows of every raw partition, checked against its manifest: one Parquet file holding exactly
    the rows counted, and every source record accounted for (read = landed + quarantined)."""
    counts: dict[str, int] = {}
    for manifest_path in _manifests(data_dir):
        manifest = json.loads(manifest_path.read_text())
        files = sorted(manifest_path.parent.glob("*.parquet"))
        assert [file.name for file in files] == ["part-0.parquet"], manifest_path
        rows = pq.ParquetFile(files[0]).metadata.num_rows
        assert rows == manifest["rows"], manifest_path
        if manifest["rows_read"] is not None:  # counted apart from the parser
            assert manifest["rows_read"] == manifest["rows"] + manifest["rows_quarantined"], manifest_path
        partition = manifest_path.parent.relative_to(data_dir / "raw").as_posix()
        counts[partition] = rows
    return counts


def _kill_run_when(data_dir: Path, log: Path, ready: Callable[[], bool], timeout: float = 1200) -> float:
    """Start `passerelle run`, SIGKILL its process group once ``ready()``; return seconds to the kill."""
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "passerelle"), "run"],
            cwd=REPOSITORY_ROOT,
            env=pipeline_environment(data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
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


@dataclass
class Rerun:
    """What the killed-twice nightly rerun left, against the first build's figures."""

    first_output: str
    data_dir: Path
    first_relations: dict[str, int]
    first_raw: dict[str, int]
    first_published: dict[str, int]
    # taken right after each kill
    relanded_at_landing_kill: int
    raw_at_landing_kill: dict[str, int]
    published_at_landing_kill: dict[str, int]
    raw_at_dbt_kill: dict[str, int]
    published_at_dbt_kill: dict[str, int]
    # after the run that completed
    relations: dict[str, int]
    raw: dict[str, int]
    published: dict[str, int]


@pytest.fixture(scope="module")
def rerun(built_pipeline: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Rerun:
    built_dir, first_output = built_pipeline
    data_dir = tmp_path_factory.mktemp("nightly_rerun") / "data"
    # The previous night's data directory; the Dagster instance stays with the shared build.
    shutil.copytree(built_dir, data_dir, symlinks=True, ignore=shutil.ignore_patterns("dagster_home"))
    logs = data_dir.parent
    first = {
        "relations": _relation_counts(data_dir / "warehouse.duckdb"),
        "raw": _raw_zone_counts(data_dir),
        "published": _published_counts(data_dir),
    }

    # 1. killed once a few raw partitions are re-landed (the offers' days come first)
    started = time.time()

    def relanded() -> int:
        return sum(1 for path in _manifests(data_dir) if path.stat().st_mtime > started)

    timings = {
        "killed while landing after": _kill_run_when(
            data_dir, logs / "killed_landing.log", lambda: relanded() >= RELANDED_BEFORE_KILL
        )
    }
    relanded_at_kill = relanded()
    at_landing_kill = {"raw": _raw_zone_counts(data_dir), "published": _published_counts(data_dir)}

    # 2. the next run is killed while dbt builds the marts
    log = logs / "killed_dbt.log"
    timings["killed while dbt builds after"] = _kill_run_when(data_dir, log, lambda: DBT_MARKER in log.read_text())
    at_dbt_kill = {"raw": _raw_zone_counts(data_dir), "published": _published_counts(data_dir)}

    # 3. the run that completes
    started = time.time()
    run_pipeline(data_dir)
    timings["rerun to completion"] = time.time() - started
    print("nightly rerun, timings (s): " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()))
    return Rerun(
        first_output=first_output,
        data_dir=data_dir,
        first_relations=first["relations"],
        first_raw=first["raw"],
        first_published=first["published"],
        relanded_at_landing_kill=relanded_at_kill,
        raw_at_landing_kill=at_landing_kill["raw"],
        published_at_landing_kill=at_landing_kill["published"],
        raw_at_dbt_kill=at_dbt_kill["raw"],
        published_at_dbt_kill=at_dbt_kill["published"],
        relations=_relation_counts(data_dir / "warehouse.duckdb"),
        raw=_raw_zone_counts(data_dir),
        published=_published_counts(data_dir),
    )


def test_the_first_build_lands_every_source_table(rerun: Rerun) -> None:
    landed = {tuple(partition.split("/")[:2]) for partition in rerun.first_raw}
    assert landed == {raw_table.key for raw_table in RAW_TABLES} | {("candidates", "profiles")}
    assert len(rerun.first_raw) == RAW_PARTITIONS
    assert rerun.first_raw["geography/regions/snapshot"] == 18
    assert rerun.first_raw["rome/fiches/snapshot"] == 1584
    assert rerun.first_raw["rco/apprenticeship_actions/snapshot"] == 39510
    assert all(count > 0 for count in rerun.first_relations.values()), {
        name: count for name, count in rerun.first_relations.items() if count == 0
    }


def test_a_run_killed_while_landing_leaves_every_partition_whole(rerun: Rerun) -> None:
    # the kill fell inside landing: some partitions re-landed, far from all
    assert RELANDED_BEFORE_KILL <= rerun.relanded_at_landing_kill < RAW_PARTITIONS
    # every partition is still there, each the previous version or the new one, never empty or mixed
    assert rerun.raw_at_landing_kill == rerun.first_raw
    # analysts still read the previous night's published copy, whole
    assert rerun.published_at_landing_kill == rerun.first_published


def test_a_run_killed_while_dbt_builds_leaves_the_published_copy_whole(rerun: Rerun) -> None:
    assert rerun.raw_at_dbt_kill == rerun.first_raw
    assert rerun.published_at_dbt_kill == rerun.first_published


def test_the_run_after_two_kills_rebuilds_exactly_the_first_build(rerun: Rerun) -> None:
    assert rerun.relations == rerun.first_relations
    assert rerun.raw == rerun.first_raw
    assert rerun.published == rerun.first_published
    assert not list((rerun.data_dir / "raw" / "_scratch").iterdir()), "raw scratch folders left behind"
    assert not list((rerun.data_dir / "published" / "_scratch").iterdir()), "published scratch left behind"
    with duckdb.connect(str(rerun.data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        postings, distinct_postings = warehouse.execute(
            "select count(*), count(distinct posting_id) from marts.job_postings"
        ).fetchone()  # type: ignore[misc]
        offer_ids = warehouse.execute(
            "select count(distinct offer_id) from read_parquet(?)",
            [str(rerun.data_dir / "raw" / "france_travail" / "job_offers" / "*" / "*.parquet")],
        ).fetchone()[0]  # type: ignore[index]
    # one posting per offer id (an offer landed in two versions keeps its latest)
    assert postings == distinct_postings == offer_ids
    assert rerun.published["job_postings"] == postings


def test_every_raw_table_has_a_staging_view(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    manifest = json.loads((REPOSITORY_ROOT / "dbt_project/target/manifest.json").read_text())
    staged_sources = {
        (manifest["sources"][parent]["source_name"], manifest["sources"][parent]["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
        for parent in node["depends_on"]["nodes"]
        if parent.startswith("source.")
    }
    raw_keys = {raw_table.key for raw_table in RAW_TABLES}
    assert raw_keys <= staged_sources, sorted(raw_keys - staged_sources)
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        views = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'staging' and table_type = 'VIEW'"
            ).fetchall()
        }
    staging_models = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
    }
    assert staging_models == views


def test_run_prints_what_it_built(rerun: Rerun) -> None:
    output = rerun.first_output
    assert "run succeeded" in output
    assert "staging.stg_rome__occupations" in output
    assert f"{rerun.first_relations['staging.stg_rome__occupations']:,} rows" in output


def test_definitions_validate(dbt_manifest: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(VENV_BIN / "dagster"), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=REPOSITORY_ROOT,
        env=pipeline_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
