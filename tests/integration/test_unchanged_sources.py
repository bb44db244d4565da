"""A source table is landed again only when what it is parsed from changed: materialized twice
through Dagster on a copy of two bundled folders, the second run reports the partition the first
landed (same Parquet file, same run id); a touched file, or a file added to the folder, lands it
again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg
import pytest

from ingestion.landing import PARQUET_NAME, read_manifest

NSF_FOLDER = "nsf"
REGIONS_FOLDER = "geo_cog"
NSF = dg.AssetKey(["nsf", "groupes_specialites"])
REGIONS = dg.AssetKey(["geography", "regions"])


def _materialize(snapshot: Path, data_dir: Path) -> dict[dg.AssetKey, dict[str, object]]:
    from orchestration.definitions import raw_assets
    from orchestration.resources import PasserellePaths, build_resources

    resources = {
        **build_resources(),
        "paths": PasserellePaths(data_dir=str(data_dir), snapshot_dir=str(snapshot), region="44"),
    }
    job = dg.Definitions(assets=raw_assets, resources=resources).resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, asset_selection=[NSF, REGIONS])
    assert result.success
    return {
        event.asset_key: {key: value.value for key, value in event.materialization.metadata.items()}
        for event in result.get_asset_materialization_events()
    } | {dg.AssetKey("run"): {"run_id": result.run_id}}


@pytest.mark.slow  # four Dagster runs
def test_an_unchanged_source_is_not_landed_again(snapshot_dir: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    for folder in (NSF_FOLDER, REGIONS_FOLDER):
        shutil.copytree(snapshot_dir / folder, snapshot / folder)
    data_dir = tmp_path / "data"
    nsf_partition = data_dir / "raw" / "nsf" / "groupes_specialites" / "snapshot"
    regions_partition = data_dir / "raw" / "geography" / "regions" / "snapshot"

    first = _materialize(snapshot, data_dir)
    first_run = first[dg.AssetKey("run")]["run_id"]
    nsf_inode = (nsf_partition / PARQUET_NAME).stat().st_ino
    assert read_manifest(nsf_partition)["source_folders"] == [NSF_FOLDER]
    assert first[NSF]["landed_in_run"] == first_run

    second = _materialize(snapshot, data_dir)
    # nothing changed: the partition of the first run stands, reported with its figures
    assert (nsf_partition / PARQUET_NAME).stat().st_ino == nsf_inode
    assert read_manifest(nsf_partition)["run_id"] == first_run
    assert second[NSF]["landed_in_run"] == first_run
    assert second[NSF]["dagster/row_count"] == first[NSF]["dagster/row_count"] == read_manifest(nsf_partition)["rows"]
    assert second[REGIONS]["dagster/row_count"] == 18
    # the rows read and how they were counted, as the first landing reported them
    assert (second[NSF]["rows_read"], second[NSF]["rows_read_counted_as"]) == (
        first[NSF]["rows_read"],
        first[NSF]["rows_read_counted_as"],
    )
    assert second[REGIONS]["preview"] == first[REGIONS]["preview"]

    # a file of the NSF folder touched: NSF lands again, the regions still stand
    nsf_file = next(path for path in sorted((snapshot / NSF_FOLDER).rglob("*")) if path.is_file())
    os.utime(nsf_file, ns=(nsf_file.stat().st_atime_ns, nsf_file.stat().st_mtime_ns + 1_000_000_000))
    third = _materialize(snapshot, data_dir)
    third_run = third[dg.AssetKey("run")]["run_id"]
    assert read_manifest(nsf_partition)["run_id"] == third_run
    assert (nsf_partition / PARQUET_NAME).stat().st_ino != nsf_inode
    assert read_manifest(regions_partition)["run_id"] == first_run

    # a new file in the regions' folder (a new edition, say) lands the regions again
    (snapshot / REGIONS_FOLDER / "README_new_edition.txt").write_text("a file the parser may now read\n")
    fourth = _materialize(snapshot, data_dir)
    assert read_manifest(regions_partition)["run_id"] == fourth[dg.AssetKey("run")]["run_id"]
    assert read_manifest(nsf_partition)["run_id"] == third_run
