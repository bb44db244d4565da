"""Publishing: copy the warehouse's marts to what analysts read, replacing it atomically.

Layout of ``published/``::

    versions/<stamp>/passerelle.duckdb          schema marts, every mart table, never changed
    versions/<stamp>/parquet/<table>.parquet    one file per mart, never changed
    current -> versions/<stamp>                 the latest complete publication
    passerelle.duckdb -> current/passerelle.duckdb
    parquet -> current/parquet

A new version is written whole in a scratch folder, moved under ``versions/``, and ``current`` is
then repointed in one atomic step, so the database and the Parquet files always come from the same
run: a new connection opens the new copy, an open one keeps reading the previous copy, and nobody
sees a half-written copy. A reader that opens files by path more than once per query (DuckDB
reading a Parquet glob does) and must not see two versions resolves ``current`` once
(``readlink -f published/parquet``): a version folder never changes, and the previous one is kept
until the next publication. A publication that fails leaves everything untouched. The build
warehouse is only read (one writer: the pipeline).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.landing import remove_path, replace_directory, scratch_folder

DATABASE_NAME = "passerelle.duckdb"
PARQUET_FOLDER = "parquet"
CURRENT_FOLDER = "current"
VERSIONS_FOLDER = "versions"
SCRATCH_FOLDER = "_scratch"


@dataclass(frozen=True)
class PublishedTable:
    name: str
    rows: int


def _copy_marts(warehouse: Path, target: Path, schema: str) -> list[PublishedTable]:
    """Write every table of ``schema`` to ``target``/passerelle.duckdb and ``target``/parquet/."""
    parquet_dir = target / PARQUET_FOLDER
    parquet_dir.mkdir()
    tables: list[PublishedTable] = []
    with duckdb.connect(str(target / DATABASE_NAME)) as connection:
        connection.execute("attach ? as warehouse (read_only)", [str(warehouse)])
        names = [
            name
            for (name,) in connection.execute(
                "select table_name from duckdb_tables() where database_name = 'warehouse' "
                "and schema_name = ? order by table_name",
                [schema],
            ).fetchall()
        ]
        if not names:
            raise ValueError(f"{warehouse}: schema {schema!r} has no table to publish")
        connection.execute(f"create schema {schema}")
        for name in names:
            connection.execute(f'create table {schema}."{name}" as select * from warehouse.{schema}."{name}"')
            connection.execute(
                f"copy {schema}.\"{name}\" to '{parquet_dir / (name + '.parquet')}' (format parquet, compression zstd)"
            )
            count = connection.execute(f'select count(*) from {schema}."{name}"').fetchone()
            tables.append(PublishedTable(name, int(count[0]) if count else 0))
        connection.execute("detach warehouse")
        connection.execute("checkpoint")
    return tables


def _point_at(published_dir: Path, name: str, target: Path) -> None:
    """Make ``published/<name>`` a relative symlink to ``target``, atomically (also over a file or
    folder of an earlier layout, which is then removed)."""
    link = published_dir / name
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    staged = published_dir / f".{name}.link.{os.getpid()}"
    remove_path(staged)
    staged.symlink_to(target)
    replace_directory(staged, link)  # the one atomic swap; it removes what was there


def _version_stamp() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}.{os.getpid()}"


def publish(warehouse: Path, published_dir: Path, schema: str = "marts") -> list[PublishedTable]:
    """Copy every table of ``schema`` to a new published version, make it current; return counts."""
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish; run the pipeline first")
    published_dir.mkdir(parents=True, exist_ok=True)
    versions = published_dir / VERSIONS_FOLDER
    versions.mkdir(exist_ok=True)
    staged = scratch_folder(published_dir / SCRATCH_FOLDER, "version")
    try:
        tables = _copy_marts(warehouse, staged, schema)
        version = versions / _version_stamp()
        staged.rename(version)  # same filesystem: the version appears whole
    finally:
        remove_path(staged)
    current = published_dir / CURRENT_FOLDER
    previous = Path(os.readlink(current)).name if current.is_symlink() else None
    _point_at(published_dir, CURRENT_FOLDER, Path(VERSIONS_FOLDER) / version.name)
    for name in (DATABASE_NAME, PARQUET_FOLDER):
        _point_at(published_dir, name, Path(CURRENT_FOLDER) / name)
    # Keep the new version and the one readers may still have resolved; older ones go.
    for folder in versions.iterdir():
        if folder.name not in (version.name, previous):
            remove_path(folder)
    return tables
