"""Atomic writes to the raw zone and to quarantine.

Layout under the data directory::

    raw/<source>/<table>/<partition>/part-0.parquet
    raw/<source>/<table>/<partition>/_manifest.json
    quarantine/<source>/<table>/<partition>/part-0.parquet   (rejected rows + reject_reason)

A partition is written whole into a scratch folder beside the raw zone, then renamed into place,
so a reader sees the old partition or the new one, never a half-written one. A rerun of the same
partition replaces it; other partitions are never touched (the raw zone is append-only).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.files import sha256_of
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


def _swap_into_place(scratch: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    retired = None
    if final.exists():
        retired = scratch.parent / f"retired-{uuid.uuid4().hex}"
        final.rename(retired)
    scratch.rename(final)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _write_partition(
    data_dir: Path, zone: str, source: str, table: str, partition: str, frame: pd.DataFrame, manifest: dict
) -> Path:
    scratch = data_dir / zone / SCRATCH_FOLDER / f"{source}.{table}.{partition}.{uuid.uuid4().hex}"
    scratch.mkdir(parents=True)
    try:
        parquet_path = scratch / PARQUET_NAME
        pq.write_table(_to_arrow(frame), parquet_path, compression="zstd")
        manifest = {
            **manifest,
            "parquet_files": [
                {"name": PARQUET_NAME, "rows": len(frame), "sha256": sha256_of(parquet_path)}
            ],
        }
        (scratch / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        final = partition_path(data_dir, zone, source, table, partition)
        _swap_into_place(scratch, final)
        return final
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


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
) -> LandedPartition:
    """Write ``parsed`` to the raw zone (and its rejects to quarantine), atomically, with manifest.

    ``zone`` is ``raw`` for sources; ``derived`` holds what passerelle's own Python steps compute
    (extracted skills, matches) for dbt to read, with the same atomic layout and manifest.
    ``run_id`` names the pipeline run that landed the partition (the data_quality mart reads it).
    """
    ingested_at = ingested_at or datetime.now(UTC)
    rows = parsed.rows.copy()
    rows[INGESTED_AT] = pd.Timestamp(ingested_at)
    manifest: dict[str, object] = {
        "source": source,
        "table": table,
        "partition": partition,
        "rows": len(rows),
        "rows_read": parsed.rows_read,
        "rows_quarantined": len(parsed.rejects),
        "fetched_at": ingested_at.isoformat(),
        "origin": origin,
        "run_id": run_id,
        "source_files": [
            {"name": file.name, "sha256": sha256_of(file), "encoding": parsed.encodings.get(file.name)}
            for file in parsed.files
        ],
    }
    path = _write_partition(data_dir, zone, source, table, partition, rows, manifest)
    quarantine = partition_path(data_dir, "quarantine", source, table, partition)
    if len(parsed.rejects):
        rejects = parsed.rejects.copy()
        rejects[INGESTED_AT] = pd.Timestamp(ingested_at)
        _write_partition(
            data_dir, "quarantine", source, table, partition, rejects,
            {"source": source, "table": table, "partition": partition, "rows": len(rejects)},
        )
    elif quarantine.exists():
        # The rerun rejected nothing: an old quarantine of this partition no longer describes it.
        shutil.rmtree(quarantine)
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
