"""The shared build through the real CLI (`passerelle run`): every source table landed, a staging
view over each, and a summary of what was built. The nightly rerun over it (killed twice, then
finished from the UI) is in test_nightly_rerun.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingestion.catalog import RAW_TABLES
from quality.mart_contract import MAY_BE_EMPTY
from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment
from tests.e2e.test_nightly_rerun import RAW_PARTITIONS, raw_zone_counts, relation_counts

pytestmark = pytest.mark.e2e


def test_the_first_build_lands_every_source_table(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    raw = raw_zone_counts(data_dir)
    landed = {tuple(partition.split("/")[:2]) for partition in raw}
    assert landed == {raw_table.key for raw_table in RAW_TABLES} | {
        ("candidates", "profiles"),
        ("programme", "participants"),
    }
    assert len(raw) == RAW_PARTITIONS
    assert raw["geography/regions/snapshot"] == 18
    assert raw["rome/fiches/snapshot"] == 1584
    assert raw["rco/apprenticeship_actions/snapshot"] == 39510
    relations = relation_counts(data_dir / "warehouse.duckdb")
    # every relation holds rows, but a mart whose good state is empty (no value set aside)
    allowed_empty = {f"marts.{mart}" for mart in MAY_BE_EMPTY}
    assert {name for name, count in relations.items() if not count} <= allowed_empty


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


def test_run_prints_what_it_built(built_pipeline: tuple[Path, str]) -> None:
    data_dir, output = built_pipeline
    relations = relation_counts(data_dir / "warehouse.duckdb")
    assert "run succeeded" in output
    assert "staging.stg_rome__occupations" in output
    assert f"{relations['staging.stg_rome__occupations']:,} rows" in output


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
