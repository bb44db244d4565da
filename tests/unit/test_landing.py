"""Landing replaces a raw partition atomically: DuckDB readers of the raw zone never see a gap."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingestion.casting import REJECT_REASON
from ingestion.landing import exchange_paths, land, read_manifest
from ingestion.rome import parse
from ingestion.tables import ParsedTable, empty_rejects


@pytest.fixture(scope="module")
def fiches(snapshot_dir: Path) -> ParsedTable:
    """The real ROME 4.0 fiches of the bundled snapshot."""
    return parse("fiches", snapshot_dir)


def _subset(parsed: ParsedTable, rows: int) -> ParsedTable:
    return ParsedTable(
        rows=parsed.rows.head(rows),
        rejects=empty_rejects(),
        files=parsed.files,
        encodings=parsed.encodings,
        records_read=rows,
    )


def test_duckdb_readers_of_the_raw_zone_see_the_old_or_the_new_partition_never_a_gap(
    tmp_path: Path, fiches: ParsedTable
) -> None:
    versions = {rows: _subset(fiches, rows) for rows in (100, 250)}
    land(tmp_path, "rome", "fiches", versions[100], partition="snapshot", origin="test")
    glob = f"{tmp_path}/raw/rome/fiches/*/*.parquet"  # the path dbt sources read
    observed: list[int] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def read_continuously() -> None:
        with duckdb.connect() as connection:
            while not done.is_set():
                try:
                    observed.append(connection.execute(f"select count(*) from read_parquet('{glob}')").fetchone()[0])
                except BaseException as error:  # a missing partition or a half-written file
                    failures.append(error)

    reader = threading.Thread(target=read_continuously)
    reader.start()
    for landing in range(40):
        land(
            tmp_path, "rome", "fiches", versions[250 if landing % 2 == 0 else 100], partition="snapshot", origin="test"
        )
    done.set()
    reader.join()
    assert failures == []
    assert len(observed) > 10
    assert set(observed) <= {100, 250}
    assert read_manifest(tmp_path / "raw" / "rome" / "fiches" / "snapshot")["rows"] == 100  # the last of 40 landings
    assert (tmp_path / "raw" / "rome" / "fiches" / "snapshot").is_dir()
    assert not (tmp_path / "raw" / "rome" / "fiches" / "snapshot").is_symlink()
    assert list((tmp_path / "raw" / "_scratch").iterdir()) == []


def test_scratch_of_a_killed_landing_is_removed_by_the_next_one(tmp_path: Path, fiches: ParsedTable) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / "raw" / "_scratch" / f"{dead.stdout.strip()}.rome.fiches.snapshot.0123"
    abandoned.mkdir(parents=True)
    (abandoned / "part-0.parquet").write_bytes(b"half written")
    landed = land(tmp_path, "rome", "fiches", _subset(fiches, 10), partition="snapshot", origin="test")
    assert landed.rows == 10
    assert list((tmp_path / "raw" / "_scratch").iterdir()) == []


def test_quarantine_is_replaced_and_removed_with_the_partition(tmp_path: Path, fiches: ParsedTable) -> None:
    rejects = fiches.rows.head(3).astype("string")
    rejects[REJECT_REASON] = "test reason"
    with_rejects = ParsedTable(rows=fiches.rows.head(10), rejects=rejects, files=fiches.files, records_read=13)
    land(tmp_path, "rome", "fiches", with_rejects, partition="snapshot", origin="test")
    quarantine = tmp_path / "quarantine" / "rome" / "fiches" / "snapshot"
    assert pd.read_parquet(quarantine / "part-0.parquet")[REJECT_REASON].tolist() == ["test reason"] * 3
    land(tmp_path, "rome", "fiches", _subset(fiches, 10), partition="snapshot", origin="test")
    assert not quarantine.exists()


def test_exchange_of_a_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "present").mkdir()
    with pytest.raises(FileNotFoundError, match="absent"):
        exchange_paths(tmp_path / "present", tmp_path / "absent")
