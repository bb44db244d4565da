"""Publishing: copy the warehouse's marts to what analysts read, replacing it atomically.

Layout of ``published/``::

    current/passerelle.duckdb          schema marts, every mart table
    current/parquet/<table>.parquet    one file per mart
    passerelle.duckdb -> current/passerelle.duckdb
    parquet -> current/parquet

A new copy is built whole in a scratch folder, then swapped with ``current`` in one atomic step
(:func:`ingestion.landing.replace_directory`), so the database and the Parquet files always come
from the same run: an analyst's open connection keeps reading the previous copy, a new connection
opens the new one, and nobody ever sees a half-written copy or a mix. A publication that fails
leaves the previous copy untouched. The build warehouse is only read (one writer: the pipeline).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.landing import exchange_paths, remove_path, replace_directory, scratch_folder

DATABASE_NAME = "passerelle.duckdb"
PARQUET_FOLDER = "parquet"
CURRENT_FOLDER = "current"
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
                f"copy {schema}.\"{name}\" to '{parquet_dir / (name + '.parquet')}' "
                "(format parquet, compression zstd)"
            )
            count = connection.execute(f'select count(*) from {schema}."{name}"').fetchone()
            tables.append(PublishedTable(name, int(count[0]) if count else 0))
        connection.execute("detach warehouse")
        connection.execute("checkpoint")
    return tables


def _point_at_current(published_dir: Path, name: str) -> None:
    """Make ``published/<name>`` a symlink to ``current/<name>``, atomically (also over the files
    of the layout before ``current`` existed)."""
    link = published_dir / name
    wanted = Path(CURRENT_FOLDER) / name
    if link.is_symlink() and Path(os.readlink(link)) == wanted:
        return
    staged = published_dir / f".{name}.link.{os.getpid()}"
    remove_path(staged)
    staged.symlink_to(wanted)
    if link.exists() or link.is_symlink():
        exchange_paths(staged, link)
        remove_path(staged)
    else:
        staged.rename(link)


def publish(warehouse: Path, published_dir: Path, schema: str = "marts") -> list[PublishedTable]:
    """Copy every table of ``schema`` to the published database and Parquet files; return counts."""
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish; run the pipeline first")
    published_dir.mkdir(parents=True, exist_ok=True)
    staged = scratch_folder(published_dir / SCRATCH_FOLDER, CURRENT_FOLDER)
    try:
        tables = _copy_marts(warehouse, staged, schema)
        replace_directory(staged, published_dir / CURRENT_FOLDER)
    finally:
        remove_path(staged)
    for name in (DATABASE_NAME, PARQUET_FOLDER):
        _point_at_current(published_dir, name)
    return tables
