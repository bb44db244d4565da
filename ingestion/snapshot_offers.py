"""The offers of a snapshot, by creation day, parsing only the files a run needs.

In snapshot mode the offers come from files, not from the API's day windows: to land a day, the
offers step must know which files hold offers created that day. Parsing every file at every run
makes a night cost what the whole history costs. An index kept beside the landed days
(``raw/france_travail/job_offers/_file_days.json``) remembers, for each file read (by resolved
path, size and modification time, under one version of the ingestion code), the days it held.
A run then parses only:

- the files that are new or changed since they were indexed (their days are unknown);
- the unchanged files that hold a day to land again: a day that a new, changed or removed file
  holds or held, or a requested day whose partition is missing.

Every other requested day stands as it was landed. A file is indexed once every day it holds has
been landed from it (a run for a few days leaves the file's other days to a later run). A file
replaced by one of the same size and modification time goes unnoticed, as with
:func:`ingestion.landing.source_fingerprint`.

The table's rules (a unique offer id) apply to the files parsed together: on the first run, every
file; on a later night, the new files and the unchanged ones sharing their days. An offer id
repeated across nights lands in each of its days, as in live mode; the postings models keep its
newest version.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingestion import france_travail
from ingestion.accounting import check_accounted, counted
from ingestion.landing import MANIFEST_NAME, ingestion_code_version
from ingestion.rules import quarantine_rule_failures
from ingestion.tables import ParsedTable

INDEX_NAME = "_file_days.json"
TABLE = "job_offers"
DAY_PATTERN = r"\d{4}-\d{2}-\d{2}"


def utc_days(moments: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` of each instant in UTC (naive values are UTC already); missing stays missing."""
    return pd.to_datetime(moments, utc=True).dt.strftime("%Y-%m-%d").astype("string")


@dataclass(frozen=True)
class FileDays:
    """A file as last read (``fingerprint``: size and modification time) and the days it held."""

    fingerprint: str
    days: frozenset[str]


def file_key(path: Path) -> str:
    """A file's key in the index: its resolved path (another snapshot directory holds other files)."""
    return str(path.resolve())


def file_fingerprint(path: Path) -> str:
    status = path.stat()
    return f"{status.st_size}:{status.st_mtime_ns}"


def read_index(table_directory: Path) -> dict[str, FileDays]:
    """The index of the table's folder; empty when there is none or another version of the
    ingestion code wrote it (then every file counts as new and is parsed)."""
    path = table_directory / INDEX_NAME
    if not path.exists():
        return {}
    document = json.loads(path.read_text())
    if document.get("ingestion_code_version") != ingestion_code_version():
        return {}
    return {
        key: FileDays(fingerprint=str(entry["fingerprint"]), days=frozenset(entry["days"]))
        for key, entry in document["files"].items()
    }


def write_index(table_directory: Path, entries: Mapping[str, FileDays]) -> None:
    """Replace the index atomically (a run killed while writing it leaves the previous one)."""
    table_directory.mkdir(parents=True, exist_ok=True)
    document = {
        "ingestion_code_version": ingestion_code_version(),
        "files": {
            key: {"fingerprint": entry.fingerprint, "days": sorted(entry.days)}
            for key, entry in sorted(entries.items())
        },
    }
    scratch = table_directory / f".{INDEX_NAME}.{os.getpid()}"
    scratch.write_text(json.dumps(document, indent=1))
    os.replace(scratch, table_directory / INDEX_NAME)


@dataclass
class SnapshotDays:
    """What a run of the snapshot mode lands, and what it found.

    ``parsed`` holds the rows and rejects of the files parsed (rules applied), ``row_days`` and
    ``reject_days`` the creation day of each; ``to_land`` the requested days to land from them;
    ``standing`` the requested days that stand as landed; ``index`` the index to write once the
    days are landed; ``files_parsed`` and ``files_skipped`` count the snapshot's files.
    """

    parsed: ParsedTable | None
    row_days: pd.Series
    reject_days: pd.Series
    to_land: list[str]
    standing: list[str]
    index: dict[str, FileDays]
    files_parsed: int
    files_skipped: int
    rejected_per_rule: dict[str, int] = field(default_factory=dict)


def _parse(path: Path) -> ParsedTable:
    """The offers of one file, its records counted apart from the parser and checked."""
    parsed = counted(lambda: france_travail.parse_offer_file(path))
    check_accounted(france_travail.SOURCE, f"{TABLE} ({path.name})", parsed)
    return parsed


def _days(parsed: ParsedTable) -> tuple[pd.Series, pd.Series]:
    """The creation day of each row, and of each reject (read from its raw text: it may be the
    unreadable field; a reject with no readable day goes with the newest day parsed)."""
    row_days = utc_days(parsed.rows["date_creation"])
    undated = int(row_days.isna().sum())
    if undated:
        raise ValueError(
            f"france_travail.job_offers: {undated} offers have no dateCreation, so no day partition; "
            f"first: {parsed.rows.loc[row_days.isna(), 'offer_id'].iloc[0]}"
        )
    reject_days = (
        parsed.rejects.get("dateCreation", pd.Series(pd.NA, index=parsed.rejects.index)).astype("string").str[:10]
    )
    reject_days = reject_days.where(reject_days.str.fullmatch(DAY_PATTERN).fillna(False), row_days.max())
    return row_days, reject_days


def _days_by_file(parsed: ParsedTable, row_days: pd.Series, reject_days: pd.Series) -> dict[Path, set[str]]:
    """The days each parsed file holds (rows and rejects name their file in ``_source_file``)."""
    by_name: dict[str, set[str]] = {}
    for frame, days in ((parsed.rows, row_days), (parsed.rejects, reject_days)):
        if len(frame) and "_source_file" in frame.columns:
            pairs = pd.DataFrame({"file": frame["_source_file"].astype("string"), "day": days}).dropna()
            for name, group in pairs.groupby("file")["day"]:
                by_name.setdefault(str(name), set()).update(group.unique())
    # Two folders may hold files of one name: each is then said to hold the days of both.
    return {path: by_name.get(path.name, set()) for path in parsed.files}


def _days_held(parsed: ParsedTable) -> set[str]:
    return {day for days in _days(parsed) for day in days.dropna()}


def _against_index(files: list[Path], index: Mapping[str, FileDays]) -> tuple[list[Path], list[Path]]:
    """``files`` split into those new or changed since the index, and those it knows as they are."""
    changed, unchanged = [], []
    for path in files:
        entry = index.get(file_key(path))
        known = entry is not None and entry.fingerprint == file_fingerprint(path)
        (unchanged if known else changed).append(path)
    return changed, unchanged


def plan_snapshot_days(snapshot_dir: Path, table_directory: Path, requested: Iterable[str]) -> SnapshotDays:
    """Parse what the ``requested`` days need (see the module docstring) and say what to land."""
    requested_days = set(requested)
    files = france_travail.offer_files(snapshot_dir)
    index = read_index(table_directory)
    current = {file_key(path): file_fingerprint(path) for path in files}
    changed, unchanged = _against_index(files, index)
    changed_keys = {file_key(path) for path in changed}
    # Days that a changed or removed file held when it was indexed: landed from what holds them now.
    held_before = {
        day for key, entry in index.items() if key in changed_keys or key not in current for day in entry.days
    }
    held_unchanged = {day for path in unchanged for day in index[file_key(path)].days}
    landed = {path.parent.name for path in table_directory.glob(f"*/{MANIFEST_NAME}")}

    parsed_files = {path: _parse(path) for path in changed}
    changed_days = {day for parsed in parsed_files.values() for day in _days_held(parsed)}
    to_land = requested_days & (changed_days | held_before | (held_unchanged - landed))
    sharing = [path for path in unchanged if index[file_key(path)].days & to_land]
    parsed_files.update({path: _parse(path) for path in sharing})
    to_parse = [path for path in files if path in parsed_files]  # in snapshot order
    kept_index = {key: entry for key, entry in index.items() if key in current}
    standing = sorted((requested_days & held_unchanged & landed) - to_land)
    if not to_parse:
        empty = pd.Series(dtype="string")
        return SnapshotDays(None, empty, empty, [], standing, kept_index, 0, len(files))
    # Combined in snapshot order, so that the table's rules see every file of those days together.
    parsed = france_travail.combine_offer_files([parsed_files[path] for path in to_parse])
    parsed, rejected_per_rule = quarantine_rule_failures(parsed, france_travail.RULES)
    row_days, reject_days = _days(parsed)
    held = _days_by_file(parsed, row_days, reject_days)
    for path in to_parse:
        # A file is indexed once all its days are landed; until then each run parses it again.
        if held[path] <= requested_days:
            kept_index[file_key(path)] = FileDays(current[file_key(path)], frozenset(held[path]))
    days_found = set(row_days) | set(reject_days.dropna())
    return SnapshotDays(
        parsed=parsed,
        row_days=row_days,
        reject_days=reject_days,
        to_land=sorted(to_land & days_found),
        standing=standing,
        index=kept_index,
        files_parsed=len(to_parse),
        files_skipped=len(files) - len(to_parse),
        rejected_per_rule=rejected_per_rule,
    )


def snapshot_day_range(snapshot_dir: Path, table_directory: Path) -> tuple[str, str]:
    """The first and last creation day the snapshot's offers hold, parsing only the files the
    index does not know."""
    index = read_index(table_directory)
    changed, unchanged = _against_index(france_travail.offer_files(snapshot_dir), index)
    days = {day for path in unchanged for day in index[file_key(path)].days}
    days |= {day for path in changed for day in _days_held(_parse(path))}
    return min(days), max(days)


def offers_table_directory(data_dir: Path) -> Path:
    """Where the offers' day partitions and this index live: ``raw/france_travail/job_offers``."""
    return data_dir / "raw" / france_travail.SOURCE / TABLE
