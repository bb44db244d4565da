"""Atomic writes to the raw zone and to quarantine.

Layout under the data directory::

    raw/<source>/<table>/<partition>/part-0.parquet
    raw/<source>/<table>/<partition>/_manifest.json
    quarantine/<source>/<table>/<partition>/part-0.parquet   (rejected rows + reject_reason)

A partition is written whole into a scratch folder beside the raw zone, then put in place by
:func:`replace_directory` (one ``renameat2(RENAME_EXCHANGE)``), so a reader sees the old partition
or the new one, never a gap, a half-written one or a mix. A rerun of the same partition replaces it;
other partitions are never touched (the raw zone is append-only). Scratch folders of a process that
died (killed mid-landing) are removed by the next landing.

A source table is landed again only when something it was parsed from changed:
:func:`source_fingerprint` sums up the folders its files came from (every file's path, size and
modification time, where symbolic links lead) and the code of :mod:`ingestion`; the manifest
keeps it, and :func:`landed_unchanged` returns the partition when the fingerprint is still the same.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.accounting import check_accounted
from ingestion.readers.files import sha256_of
from ingestion.tables import ParsedTable, empty_rejects

INGESTED_AT = "_ingested_at"
MANIFEST_NAME = "_manifest.json"
PARQUET_NAME = "part-0.parquet"
SCRATCH_FOLDER = "_scratch"


@dataclass(frozen=True)
class LandedPartition:
    path: Path
    manifest: dict[str, object]

    @property
    def rows(self) -> int:
        return int(self.manifest["rows"])  # type: ignore[arg-type]


def partition_path(data_dir: Path, zone: str, source: str, table: str, partition: str) -> Path:
    return data_dir / zone / source / table / partition


def _to_arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h


def exchange_paths(first: Path, second: Path) -> None:
    """Swap two existing directory entries (folders, files or symlinks) in one atomic step.

    Linux ``renameat2(RENAME_EXCHANGE)``: at no moment is either path missing. Raises ``OSError``
    naming both paths when the system or the filesystem cannot do it.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available (Linux with glibc >= 2.28 needed)", str(first))
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"cannot exchange atomically: {os.strerror(code)}", str(first), None, str(second))


def remove_path(path: Path) -> None:
    """Delete a folder, file or symlink (a symlink itself, never what it points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


# A reader that opened the previous folder to list it just before a swap (DuckDB expanding a
# glob) goes on listing that folder after it: deleted at once, it would look empty to that
# reader. The previous folder is moved aside instead, and deleted by a later swap once older
# than this.
RETIRED_FOLDER = "_retired"
RETIRED_GRACE_SECONDS = 60.0


def replace_directory(staged: Path, final: Path) -> None:
    """Put the complete entry ``staged`` at ``final`` atomically, then retire what was there.

    The one atomic swap of passerelle (raw zone, quarantine, derived zone, published copy): a reader
    of ``final`` sees the previous entry or the new one, never a gap nor a mix. A reader that
    already opened a file of the previous entry keeps reading it (POSIX keeps unlinked files alive),
    and one listing the previous folder still finds its files (see ``RETIRED_GRACE_SECONDS``).
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists() or final.is_symlink():
        exchange_paths(staged, final)
        _retire(staged)  # now holds the previous entry
    else:
        staged.rename(final)  # nothing at final: a plain rename is atomic


def _retire(previous: Path) -> None:
    """Move a replaced folder to ``_retired/`` beside its scratch root; delete the old retired ones."""
    if previous.is_symlink() or not previous.is_dir():
        remove_path(previous)  # a link or a file: readers have resolved or opened it already
        return
    retired = previous.parent.parent / RETIRED_FOLDER
    retired.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    for entry in retired.iterdir():
        stamp = entry.name.split(".", 1)[0]
        if not stamp.isdigit() or now - int(stamp) > RETIRED_GRACE_SECONDS * 1e9:
            remove_path(entry)
    previous.rename(retired / f"{now}.{uuid.uuid4().hex}")


def scratch_folder(root: Path, name: str) -> Path:
    """A new, empty scratch folder under ``root`` owned by this process (its pid leads the name).

    Scratch folders left by a dead process (a killed run) are removed first.
    """
    root.mkdir(parents=True, exist_ok=True)
    remove_abandoned_scratch(root)
    scratch = root / f"{os.getpid()}.{name}.{uuid.uuid4().hex}"
    scratch.mkdir()
    return scratch


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_scratch(root: Path) -> list[Path]:
    """Remove the scratch entries of ``root`` whose owning process is no longer running."""
    removed = []
    for entry in sorted(root.iterdir()) if root.exists() else []:
        if entry.name == RETIRED_FOLDER:  # replaced folders still in their grace period (see _retire)
            continue
        owner = entry.name.split(".", 1)[0]
        if not owner.isdigit() or not _is_running(int(owner)):
            remove_path(entry)
            removed.append(entry)
    return removed


def _write_partition(
    data_dir: Path, zone: str, source: str, table: str, partition: str, frame: pd.DataFrame, manifest: dict
) -> Path:
    scratch = scratch_folder(data_dir / zone / SCRATCH_FOLDER, f"{source}.{table}.{partition}")
    try:
        parquet_path = scratch / PARQUET_NAME
        pq.write_table(_to_arrow(frame), parquet_path, compression="zstd")
        manifest = {
            **manifest,
            "parquet_files": [{"name": PARQUET_NAME, "rows": len(frame), "sha256": sha256_of(parquet_path)}],
        }
        (scratch / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        final = partition_path(data_dir, zone, source, table, partition)
        replace_directory(scratch, final)
        return final
    finally:
        remove_path(scratch)


@functools.cache
def ingestion_code_version() -> str:
    """sha256 of every module of :mod:`ingestion` (parsers, readers, rules, casts): a change to any
    of them may change what a source parses to, so it lands every source table again."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for module in sorted(package.rglob("*.py")):
        if module.relative_to(package).parts[0] == "snapshot":  # the bundled data's own scripts
            continue
        digest.update(str(module.relative_to(package)).encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def source_folders(source_path: Path, files: list[Path]) -> list[str]:
    """The folders the files of a parsed table came from: their first folder under ``source_path``
    (``bmo`` for ``bmo/Base_open_data_BMO_2024.xlsx``), or their own folder when outside it."""
    folders = {
        str(file.relative_to(source_path).parts[0]) if file.is_relative_to(source_path) else str(file.parent)
        for file in files
    }
    return sorted(folders)


def source_fingerprint(source_path: Path, folders: list[str]) -> str:
    """What a source table is parsed from, summed up: the code of :mod:`ingestion` and, for each
    folder, where it leads and every file under it (relative path, size, modification time). A file
    added, removed, replaced or touched changes it; so does a new download behind a link."""
    digest = hashlib.sha256(ingestion_code_version().encode())
    for folder in folders:
        resolved = (source_path / folder).resolve()
        digest.update(b"\0folder\0" + str(resolved).encode())
        if not resolved.exists():
            digest.update(b"\0missing")
            continue
        for file in sorted(path for path in resolved.rglob("*") if path.is_file()):
            status = file.stat()
            digest.update(f"\0{file.relative_to(resolved)}\0{status.st_size}\0{status.st_mtime_ns}".encode())
    return digest.hexdigest()


def landed_unchanged(
    data_dir: Path, source: str, table: str, partition: str, source_path: Path
) -> LandedPartition | None:
    """The landed partition of a source table when what it was parsed from has not changed since,
    else None (never landed, landed before fingerprints were kept, or a source or the code changed)."""
    path = partition_path(data_dir, "raw", source, table, partition)
    if not (path / MANIFEST_NAME).exists() or not (path / PARQUET_NAME).exists():
        return None
    manifest = read_manifest(path)
    folders = manifest.get("source_folders")
    if not isinstance(folders, list) or manifest.get("source_fingerprint") != source_fingerprint(
        source_path, [str(folder) for folder in folders]
    ):
        return None
    return LandedPartition(path=path, manifest=manifest)


def land(
    data_dir: Path,
    source: str,
    table: str,
    parsed: ParsedTable,
    *,
    partition: str,
    origin: str,
    ingested_at: datetime | None = None,
    zone: str = "raw",
    run_id: str | None = None,
    source_path: Path | None = None,
) -> LandedPartition:
    """Write ``parsed`` to the raw zone (and its rejects to quarantine), atomically, with manifest.

    ``zone`` is ``raw`` for sources; ``derived`` holds what passerelle's own Python steps compute
    (extracted skills, matches) for dbt to read, with the same atomic layout and manifest.
    ``run_id`` names the pipeline run that landed the partition (the data_quality mart reads it).
    With ``source_path`` (where the parsed files were read), the manifest keeps the fingerprint of
    the source folders, so that :func:`landed_unchanged` can tell when they change.
    When ``parsed.records_read`` is known and differs from rows + rejects, nothing is written and
    :class:`ingestion.accounting.RowAccountingError` names the table and the numbers.
    """
    check_accounted(source, table, parsed)
    ingested_at = ingested_at or datetime.now(UTC)
    rows = parsed.rows.copy()
    rows[INGESTED_AT] = pd.Timestamp(ingested_at)
    manifest: dict[str, object] = {
        "source": source,
        "table": table,
        "partition": partition,
        "rows": len(rows),
        # Source records counted apart from the parser (NULL when not counted), and how.
        "rows_read": parsed.records_read,
        "rows_read_counted_as": parsed.counted_as,
        "rows_quarantined": len(parsed.rejects),
        "fetched_at": ingested_at.isoformat(),
        "origin": origin,
        "run_id": run_id,
        "source_files": [
            {
                "name": file.name,
                "sha256": sha256_of(file),
                "encoding": parsed.encodings.get(file.name),
                "encoding_evidence": parsed.encoding_evidence.get(file.name),
            }
            for file in parsed.files
        ],
    }
    if source_path is not None and parsed.files:  # a table read from no file is always landed again
        folders = source_folders(source_path, parsed.files)
        manifest["source_folders"] = folders
        manifest["source_fingerprint"] = source_fingerprint(source_path, folders)
    path = _write_partition(data_dir, zone, source, table, partition, rows, manifest)
    quarantine = partition_path(data_dir, "quarantine", source, table, partition)
    if len(parsed.rejects):
        rejects = parsed.rejects.copy()
        rejects[INGESTED_AT] = pd.Timestamp(ingested_at)
        _write_partition(
            data_dir,
            "quarantine",
            source,
            table,
            partition,
            rejects,
            {"source": source, "table": table, "partition": partition, "rows": len(rejects)},
        )
    elif quarantine.exists():
        # The rerun rejected nothing: an old quarantine of this partition no longer describes it.
        remove_path(quarantine)
    return LandedPartition(path=path, manifest=manifest)


DERIVED_ZONE = "derived"
DERIVED_PARTITION = "current"


def land_derived(
    data_dir: Path, source: str, table: str, frame: pd.DataFrame, *, origin: str, run_id: str | None = None
) -> LandedPartition:
    """Write what a pipeline step computed (no rejects) to ``derived/<source>/<table>/current/``.

    One partition, replaced whole at every run, with the same atomic write and manifest as sources.
    """
    return land(
        data_dir,
        source,
        table,
        ParsedTable(rows=frame, rejects=empty_rejects(), files=[]),
        partition=DERIVED_PARTITION,
        origin=origin,
        zone=DERIVED_ZONE,
        run_id=run_id,
    )


def read_manifest(partition: Path) -> dict[str, object]:
    return json.loads((partition / MANIFEST_NAME).read_text())
