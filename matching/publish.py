"""Publishing: copy the warehouse's marts to what analysts read, replacing it atomically.

``published/passerelle.duckdb`` holds schema ``marts`` (every mart table) and
``published/parquet/<table>.parquet`` one file per mart. Both are built beside their final place
and swapped in with a rename, so an analyst's open connection keeps reading the previous copy and
nobody ever sees a half-written one. The build warehouse is only read (one writer: the pipeline).
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

DATABASE_NAME = "passerelle.duckdb"
PARQUET_FOLDER = "parquet"


@dataclass(frozen=True)
class PublishedTable:
    name: str
    rows: int


def publish(warehouse: Path, published_dir: Path, schema: str = "marts") -> list[PublishedTable]:
    """Copy every table of ``schema`` to the published database and Parquet files; return counts."""
    if not warehouse.exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse to publish; run the pipeline first")
    published_dir.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    staging_database = published_dir / f".{DATABASE_NAME}.{token}"
    staging_parquet = published_dir / f".{PARQUET_FOLDER}.{token}"
    staging_parquet.mkdir()
    tables: list[PublishedTable] = []
    try:
        with duckdb.connect(str(staging_database)) as connection:
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
                    f"copy {schema}.\"{name}\" to '{staging_parquet / (name + '.parquet')}' "
                    "(format parquet, compression zstd)"
                )
                count = connection.execute(f'select count(*) from {schema}."{name}"').fetchone()
                tables.append(PublishedTable(name, int(count[0]) if count else 0))
            connection.execute("detach warehouse")
        staging_database.replace(published_dir / DATABASE_NAME)
        final_parquet = published_dir / PARQUET_FOLDER
        retired = published_dir / f".retired.{token}"
        if final_parquet.exists():
            final_parquet.rename(retired)
        staging_parquet.rename(final_parquet)
        shutil.rmtree(retired, ignore_errors=True)
        return tables
    finally:
        staging_database.unlink(missing_ok=True)
        shutil.rmtree(staging_parquet, ignore_errors=True)
