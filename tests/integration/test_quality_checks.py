"""Blocking Great Expectations checks in a real Dagster materialization.

A copy of the snapshot whose COG region file has one region listed twice and one row with a
malformed region code: the row is quarantined with its rule, the duplicate fails the blocking
check, the dbt staging model reading the table is not built, and an unrelated raw table still is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from ingestion.landing import read_manifest

REGION_FILE = Path("geo_cog") / "v_region_2024.csv"
NSF_FOLDER = Path("nsf")


@pytest.fixture()
def broken_snapshot(snapshot_dir: Path, tmp_path: Path) -> Path:
    broken = tmp_path / "snapshot"
    (broken / REGION_FILE.parent).mkdir(parents=True)
    lines = (snapshot_dir / REGION_FILE).read_text(encoding="utf-8").splitlines()
    grand_est = next(line for line in lines if line.startswith('"44"'))
    malformed = grand_est.replace('"44"', '"4E"', 1).replace("GRAND EST", "GRAND EST BIS")
    (broken / REGION_FILE).write_text("\n".join([*lines, grand_est, malformed]) + "\n", encoding="utf-8")
    shutil.copytree(snapshot_dir / NSF_FOLDER, broken / NSF_FOLDER)
    return broken


def test_failed_raw_check_blocks_downstream_only(dbt_manifest: Path, broken_snapshot: Path, tmp_path: Path) -> None:
    from ingestion.catalog import by_key
    from orchestration.assets.dbt import dbt_asset_keys, passerelle_dbt_stages
    from orchestration.checks import build_raw_check
    from orchestration.definitions import raw_assets
    from orchestration.resources import PasserellePaths, build_resources

    regions = dg.AssetKey(["geography", "regions"])
    nsf = dg.AssetKey(["nsf", "groupes_specialites"])
    staging = next(key for key in dbt_asset_keys if key.path[-1] == "stg_geography__regions")
    data_dir = tmp_path / "data"
    resources = {
        **build_resources(),
        "paths": PasserellePaths(data_dir=str(data_dir), snapshot_dir=str(broken_snapshot), region="44"),
    }
    tables = by_key()
    definitions = dg.Definitions(
        assets=[*raw_assets, *passerelle_dbt_stages],
        asset_checks=[build_raw_check(tables[key.path[0], key.path[1]]) for key in (regions, nsf)],
        resources=resources,
    )
    job = definitions.resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, asset_selection=[regions, nsf, staging], raise_on_error=False
        )

    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert materialized == {regions, nsf}, "the staging model must not be built on a failed check"
    checks = {evaluation.asset_check_key.asset_key: evaluation for evaluation in result.get_asset_check_evaluations()}
    assert checks[nsf].passed
    failed = checks[regions]
    assert not failed.passed
    metadata = {key: value.value for key, value in failed.metadata.items()}
    assert metadata["rows_validated"] == 19
    assert metadata["expectations_failed"] == 1
    [failure] = metadata["failures"]
    assert failure["expectation"] == "expect_column_values_to_be_unique"
    assert failure["column"] == "reg"
    assert failure["unexpected_count"] == 2
    assert failure["first_failing_values"] == ["44", "44"]

    # The malformed code went to quarantine, with the rule and the column, before landing.
    partition = data_dir / "raw" / "geography" / "regions" / "snapshot"
    assert read_manifest(partition)["rows"] == 19
    assert read_manifest(partition)["rows_quarantined"] == 1
    quarantined = pq.read_table(data_dir / "quarantine" / "geography" / "regions" / "snapshot").to_pandas()
    assert quarantined["reg"].tolist() == ["4E"]
    assert quarantined["reject_reason"].iloc[0] == (
        "rule region_code: column 'reg' expected to match ^\\d{2}$, found '4E'"
    )
