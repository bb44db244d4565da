"""The dbt part of the shared build: three dbt steps, what they record, the published docs site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.execution.stats import StepEventStatus

from tests.conftest import REPOSITORY_ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def instance(built_pipeline: tuple[Path, str]) -> Iterator[dg.DagsterInstance]:
    data_dir, _ = built_pipeline
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as dagster_instance:
        yield dagster_instance


def test_refresh_all_ran_dbt_in_three_steps(instance: dg.DagsterInstance) -> None:
    run = next(run for run in instance.get_runs() if run.job_name == "refresh_all")
    steps = {stats.step_key: stats.status for stats in instance.get_run_step_stats(run.run_id)}
    dbt_steps = sorted(step for step in steps if step.startswith("passerelle_dbt"))
    assert dbt_steps == ["passerelle_dbt_enriched", "passerelle_dbt_outcomes", "passerelle_dbt_warehouse"]
    assert all(steps[step] == StepEventStatus.SUCCESS for step in dbt_steps)


def _materialization(instance: dg.DagsterInstance, *key: str) -> dict[str, dg.MetadataValue]:
    event = instance.get_latest_materialization_event(dg.AssetKey(list(key)))
    assert event is not None and event.asset_materialization is not None, key
    return dict(event.asset_materialization.metadata)


@pytest.mark.parametrize(
    ("key", "is_table"),
    [
        (("marts", "skill_demand"), True),
        (("intermediate", "int_training_occupations_matched"), True),
        (("staging", "stg_rome__occupations"), False),
    ],
)
def test_dbt_models_carry_row_count_and_typed_described_columns(
    built_pipeline: tuple[Path, str], instance: dg.DagsterInstance, key: tuple[str, str], is_table: bool
) -> None:
    data_dir, _ = built_pipeline
    metadata = _materialization(instance, *key)
    relation = ".".join(key)
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        rows = warehouse.execute(f"select count(*) from {relation}").fetchone()[0]  # type: ignore[index]
        columns = warehouse.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = ? and table_name = ? order by column_index",
            list(key),
        ).fetchall()
    # Row counts of tables only: a staging view is not run for its count.
    assert ("dagster/row_count" in metadata) is is_table
    if is_table:
        assert metadata["dagster/row_count"].value == rows > 0
    schema = metadata["dagster/column_schema"].value
    assert isinstance(schema, dg.TableSchema)
    assert [(column.name, column.type) for column in schema.columns] == columns
    # The descriptions of the model's YAML come with the types.
    manifest = json.loads((REPOSITORY_ROOT / "dbt_project" / "target" / "manifest.json").read_text())
    node = next(n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["name"] == key[1])
    described = {name: column["description"] for name, column in node["columns"].items() if column["description"]}
    assert described
    assert {column.name: column.description for column in schema.columns if column.name in described} == described


def test_main_marts_show_the_region_top_10(instance: dg.DagsterInstance) -> None:
    metadata = _materialization(instance, "marts", "skill_demand")
    chart = str(metadata["region_top_10"].value)
    assert chart.startswith("**top 10 skills asked by the region's postings")
    assert chart.count("█") >= 10


def test_published_docs_site_holds_the_catalog_with_column_types(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    docs = data_dir / "published" / "docs"
    catalog = json.loads((docs / "catalog.json").read_text())
    skill_demand = catalog["nodes"]["model.passerelle.skill_demand"]["columns"]
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        expected = warehouse.execute(
            "select column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'skill_demand'"
        ).fetchall()
    assert {name: column["type"] for name, column in skill_demand.items()} == dict(expected)
    manifest = json.loads((docs / "manifest.json").read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    assert len(models) > 100 and all(node["description"] for node in models if node["schema"] == "marts")
    # static_index.html (opens from disk) holds the manifest and the catalog inline.
    static = (docs / "static_index.html").read_text()
    varchar_columns = sum(
        column["type"] == "VARCHAR" for node in catalog["nodes"].values() for column in node["columns"].values()
    )
    assert varchar_columns > 500
    assert len(re.findall(r'"type":\s*"VARCHAR"', static)) == varchar_columns
