"""In snapshot mode the offers step parses only the files the requested days need.

Run through Dagster (the offers job, one run for a range of days) on a copy of one bundled offers
folder (two files): the first run parses both and lands every day; a second run parses none and
every day stands (same Parquet file, same run id); a new file holding a new day lands that day
alone; a touched file lands its days again and no other; an edited file lands its new content.
After all that, the raw zone equals, day for day, the one a single run from nothing lands.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from ingestion.landing import INGESTED_AT, PARQUET_NAME, read_manifest
from ingestion.snapshot_offers import INDEX_NAME, file_key, read_index

pytestmark = pytest.mark.slow  # six Dagster runs

FOLDER = "france_travail_offres"
FIRST_DAY, LAST_DAY = "2022-01-01", "2026-05-31"
NEW_DAY = "2026-05-20"


def _run(snapshot: Path, data_dir: Path) -> tuple[str, dict[str, dict[str, object]], list[str]]:
    """The offers job over FIRST_DAY..LAST_DAY: run id, each day's materialization metadata, logs."""
    from orchestration.assets.offers import france_travail_job_offers
    from orchestration.resources import PasserellePaths, build_resources
    from orchestration.schedules import offers_job, partition_range_tags

    resources = {
        **build_resources(),
        "paths": PasserellePaths(data_dir=str(data_dir), snapshot_dir=str(snapshot), region="44"),
    }
    job = dg.Definitions(assets=[france_travail_job_offers], jobs=[offers_job], resources=resources).resolve_job_def(
        offers_job.name
    )
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(instance=instance, tags=partition_range_tags(FIRST_DAY, LAST_DAY))
        assert result.success
        messages = [record.user_message for record in instance.all_logs(result.run_id)]
    days = {
        str(event.partition): {key: value.value for key, value in event.materialization.metadata.items()}
        for event in result.get_asset_materialization_events()
    }
    return result.run_id, days, messages


def _table(data_dir: Path) -> Path:
    return data_dir / "raw" / "france_travail" / "job_offers"


def _landed_in(data_dir: Path) -> dict[str, str]:
    """Each landed day and the run that landed it."""
    return {
        path.parent.name: str(read_manifest(path.parent)["run_id"])
        for path in sorted(_table(data_dir).glob("*/_manifest.json"))
    }


def _rows(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {
        path.parent.name: pd.read_parquet(path).drop(columns=[INGESTED_AT]).sort_values("offer_id", ignore_index=True)
        for path in sorted(_table(data_dir).glob(f"*/{PARQUET_NAME}"))
    }


def _parsed_line(messages: list[str]) -> str:
    return next(message for message in messages if "offer files parsed" in message)


def test_snapshot_days_land_only_from_new_or_changed_files(snapshot_dir: Path, tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(snapshot_dir / FOLDER, snapshot / FOLDER)
    first_file, second_file = sorted((snapshot / FOLDER).glob("DERIVED_*.json"))
    data_dir = tmp_path / "data"

    # 1. from nothing: both files parsed, every day landed and both files indexed
    first_run, first_days, messages = _run(snapshot, data_dir)
    assert "2 offer files parsed, 0 unchanged" in _parsed_line(messages)
    index = read_index(_table(data_dir))
    assert set(index) == {file_key(first_file), file_key(second_file)}
    days_of = {path: set(index[file_key(path)].days) for path in (first_file, second_file)}
    assert set(first_days) == set(_landed_in(data_dir)) == days_of[first_file] | days_of[second_file]
    assert len(first_days) > 20
    assert all(run == first_run for run in _landed_in(data_dir).values())
    offers = sum(len(json.loads(path.read_text(encoding="utf-8"))) for path in (first_file, second_file))
    assert sum(int(day["dagster/row_count"]) for day in first_days.values()) == offers
    inodes = {day: (_table(data_dir) / day / PARQUET_NAME).stat().st_ino for day in first_days}

    # 2. nothing changed: no file parsed, every day reported as it stands
    second_run, second_days, messages = _run(snapshot, data_dir)
    assert "0 offer files parsed, 2 unchanged" in _parsed_line(messages)
    assert set(second_days) == set(first_days)
    assert {day: metadata["landed_in_run"] for day, metadata in second_days.items()} == dict.fromkeys(
        first_days, first_run
    )
    assert all((_table(data_dir) / day / PARQUET_NAME).stat().st_ino == inode for day, inode in inodes.items())

    # 3. a new file holding a new day: that file alone is parsed, that day alone lands
    new_offers = json.loads(first_file.read_text(encoding="utf-8"))[:3]
    for number, offer in enumerate(new_offers):
        offer["id"] = f"NIGHT{number}"
        offer["dateCreation"] = offer["dateActualisation"] = f"{NEW_DAY}T08:00:00.000Z"
    (snapshot / FOLDER / "DERIVED_night.json").write_text(json.dumps(new_offers), encoding="utf-8")
    third_run, third_days, messages = _run(snapshot, data_dir)
    assert "1 offer files parsed, 2 unchanged" in _parsed_line(messages)
    landed = _landed_in(data_dir)
    assert {day for day, run in landed.items() if run == third_run} == {NEW_DAY}
    assert third_days[NEW_DAY]["dagster/row_count"] == 3 and "landed_in_run" not in third_days[NEW_DAY]

    # 4. a touched file: its days land again, with the other file's offers of those days; no other day
    os.utime(second_file, ns=(second_file.stat().st_atime_ns, second_file.stat().st_mtime_ns + 1_000_000_000))
    fourth_run, _, messages = _run(snapshot, data_dir)
    relanded = {day for day, run in _landed_in(data_dir).items() if run == fourth_run}
    assert relanded == days_of[second_file]
    shared = days_of[first_file] & days_of[second_file]
    assert f"{2 if shared else 1} offer files parsed" in _parsed_line(messages)

    # 5. an edited file: its days land again, with the new content
    offers_of_first = json.loads(first_file.read_text(encoding="utf-8"))
    offers_of_first[0]["intitule"] = "Agent de propreté des locaux (H/F), titre modifié"
    first_file.write_text(json.dumps(offers_of_first), encoding="utf-8")
    fifth_run, _, _ = _run(snapshot, data_dir)
    assert {day for day, run in _landed_in(data_dir).items() if run == fifth_run} == days_of[first_file]
    edited = pd.concat(_rows(data_dir).values())
    assert edited.loc[edited["offer_id"] == offers_of_first[0]["id"], "intitule"].tolist() == [
        "Agent de propreté des locaux (H/F), titre modifié"
    ]

    # the raw zone after these nights equals the one a single run lands from nothing
    from_nothing = tmp_path / "from_nothing"
    _run(snapshot, from_nothing)
    incremental, full = _rows(data_dir), _rows(from_nothing)
    assert list(incremental) == list(full)
    for day in full:
        pd.testing.assert_frame_equal(incremental[day], full[day], check_like=True)
    assert (_table(from_nothing) / INDEX_NAME).read_text() == (_table(data_dir) / INDEX_NAME).read_text()
