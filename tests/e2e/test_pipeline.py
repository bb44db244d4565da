"""The whole pipeline, materialized twice through the real CLI in a temporary data directory."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from ingestion.catalog import RAW_TABLES
from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment, run_pipeline

pytestmark = pytest.mark.e2e


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


@pytest.fixture(scope="module")
def built_twice(built_pipeline: tuple[Path, str]) -> tuple[Path, dict, dict, str]:
    """The shared build, then a second run over the same data directory."""
    data_dir, first_output = built_pipeline
    first = _relation_counts(data_dir / "warehouse.duckdb")
    run_pipeline(data_dir)
    second = _relation_counts(data_dir / "warehouse.duckdb")
    return data_dir, first, second, first_output


def test_second_run_gives_identical_row_counts(built_twice: tuple[Path, dict, dict, str]) -> None:
    _, first, second, _ = built_twice
    assert first == second
    assert all(count > 0 for count in first.values()), {k: v for k, v in first.items() if v == 0}


def test_every_raw_table_has_a_staging_view(built_twice: tuple[Path, dict, dict, str]) -> None:
    data_dir, _, _, _ = built_twice
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
        node["name"] for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"].startswith("stg_")
    }
    assert staging_models == views


def test_manifests_match_parquet_rows(built_twice: tuple[Path, dict, dict, str]) -> None:
    data_dir, _, _, _ = built_twice
    manifests = sorted((data_dir / "raw").glob("*/*/*/_manifest.json"))
    # every source table, plus the candidates (private or synthetic file, landed by its own asset)
    landed = {(path.parts[-4], path.parts[-3]) for path in manifests}
    assert landed == {raw_table.key for raw_table in RAW_TABLES} | {("candidates", "profiles")}
    for manifest_path in manifests:
        manifest = json.loads(manifest_path.read_text())
        parquet_rows = sum(pq.ParquetFile(p).metadata.num_rows for p in manifest_path.parent.glob("*.parquet"))
        assert manifest["rows"] == parquet_rows, manifest_path
        if manifest["rows_read"] is not None:  # counted apart from the parser
            assert manifest["rows_read"] == manifest["rows"] + manifest["rows_quarantined"], manifest_path
    assert not list((data_dir / "raw" / "_scratch").glob("*")), "scratch folders left behind"


def test_run_prints_what_it_built(built_twice: tuple[Path, dict, dict, str]) -> None:
    _, first, _, output = built_twice
    assert "run succeeded" in output
    assert "staging.stg_rome__occupations" in output
    assert f"{first['staging.stg_rome__occupations']:,} rows" in output


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
