"""Publishing copies marts atomically into the analysts' database and Parquet files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from matching.publish import publish


def _warehouse(path: Path, rows: int) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema staging")
        connection.execute(f"create table marts.skills as select range as skill_code from range({rows})")
        connection.execute("create table marts.territories as select 'region' as territory_level, '44' as territory_code")
        connection.execute("create view staging.not_published as select 1 as x")
    return path


def test_publish_copies_every_mart_and_replaces_the_previous_copy(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", rows=7)
    published = tmp_path / "published"
    tables = publish(warehouse, published)
    assert [(table.name, table.rows) for table in tables] == [("skills", 7), ("territories", 1)]
    reader = duckdb.connect(str(published / "passerelle.duckdb"), read_only=True)
    # a second publication while a reader holds the old copy open
    warehouse.unlink()
    _warehouse(warehouse, rows=9)
    publish(warehouse, published)
    assert reader.execute("select count(*) from marts.skills").fetchone() == (7,)
    reader.close()
    with duckdb.connect(str(published / "passerelle.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.skills").fetchone() == (9,)
        schemas = {name for (name,) in connection.execute("select distinct schema_name from duckdb_tables()").fetchall()}
    assert schemas == {"marts"}
    assert pq.read_table(published / "parquet" / "skills.parquet").num_rows == 9
    assert sorted(path.name for path in published.iterdir()) == ["parquet", "passerelle.duckdb"]


def test_publish_without_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse to publish"):
        publish(tmp_path / "missing.duckdb", tmp_path / "published")
