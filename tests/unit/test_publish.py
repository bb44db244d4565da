"""Publishing copies marts atomically into the analysts' database and Parquet files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from publishing.publish import publish


def _warehouse(path: Path, rows: int) -> Path:
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema staging")
        connection.execute(f"create table marts.skills as select range as skill_code from range({rows})")
        connection.execute(
            "create table marts.territories as select 'region' as territory_level, '44' as territory_code"
        )
        connection.execute("create view staging.not_published as select 1 as x")
    return path


def _skills_in_database(published: Path) -> int:
    with duckdb.connect(str(published / "passerelle.duckdb"), read_only=True) as connection:
        row = connection.execute("select count(*) from marts.skills").fetchone()
    return int(row[0]) if row else -1


def test_publish_copies_every_mart_and_replaces_the_previous_copy(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", rows=7)
    published = tmp_path / "published"
    tables = publish(warehouse, published)
    assert [(table.name, table.rows) for table in tables] == [("skills", 7), ("territories", 1)]
    reader = duckdb.connect(str(published / "passerelle.duckdb"), read_only=True)
    # a second publication while a reader holds the old copy open
    _warehouse(warehouse, rows=9)
    publish(warehouse, published)
    assert reader.execute("select count(*) from marts.skills").fetchone() == (7,)
    reader.close()
    with duckdb.connect(str(published / "passerelle.duckdb"), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.skills").fetchone() == (9,)
        schemas = {
            name for (name,) in connection.execute("select distinct schema_name from duckdb_tables()").fetchall()
        }
    assert schemas == {"marts"}
    assert pq.read_table(published / "parquet" / "skills.parquet").num_rows == 9
    # the analysts' paths are links into one folder: database and Parquet switch together
    assert sorted(path.name for path in published.iterdir()) == [
        "_scratch",
        "current",
        "parquet",
        "passerelle.duckdb",
        "versions",
    ]
    # two versions: the current one and the one before, which a reader may still have resolved
    assert len(list((published / "versions").iterdir())) == 2
    assert os.readlink(published / "current").startswith("versions/")
    assert os.readlink(published / "passerelle.duckdb") == "current/passerelle.duckdb"
    assert os.readlink(published / "parquet") == "current/parquet"
    assert list((published / "_scratch").iterdir()) == []


def test_a_failed_publication_leaves_the_previous_copy_untouched(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", rows=7)
    published = tmp_path / "published"
    publish(warehouse, published)
    reader = duckdb.connect(str(published / "passerelle.duckdb"), read_only=True)
    warehouse.unlink()
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")  # a build that produced no mart
    with pytest.raises(ValueError, match="has no table to publish"):
        publish(warehouse, published)
    assert reader.execute("select count(*) from marts.skills").fetchone() == (7,)
    reader.close()
    assert _skills_in_database(published) == 7
    assert pq.read_table(published / "parquet" / "skills.parquet").num_rows == 7
    assert list((published / "_scratch").iterdir()) == []


def test_publish_over_the_layout_without_current_and_cleans_a_killed_publication(tmp_path: Path) -> None:
    published = tmp_path / "published"
    (published / "parquet").mkdir(parents=True)
    (published / "parquet" / "old.parquet").write_bytes(b"old")
    (published / "passerelle.duckdb").write_bytes(b"old")
    # scratch of a publication killed earlier: its process (a finished child) no longer exists
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = published / "_scratch" / f"{dead.stdout.strip()}.current.0123"
    abandoned.mkdir(parents=True)
    (abandoned / "passerelle.duckdb").write_bytes(b"half written")
    publish(_warehouse(tmp_path / "warehouse.duckdb", rows=3), published)
    assert _skills_in_database(published) == 3
    assert sorted(path.name for path in (published / "parquet").iterdir()) == ["skills.parquet", "territories.parquet"]
    assert list((published / "_scratch").iterdir()) == []


def test_readers_never_see_a_gap_while_copies_are_replaced(tmp_path: Path) -> None:
    """Analysts open the database and read the Parquet files in a loop during 12 publications.

    The Parquet reader resolves ``current`` once per query, as the layout documents: DuckDB opens
    the files of a glob more than once, so a path that changes version between two opens would mix
    two files. A resolved version never changes; the only failure allowed is reading a version
    already pruned (two publications later), which a real reader a night apart never meets.
    """
    published = tmp_path / "published"
    warehouses = {rows: _warehouse(tmp_path / f"warehouse_{rows}.duckdb", rows=rows) for rows in (7, 9)}
    publish(warehouses[7], published)
    observed: list[tuple[int, int]] = []
    failures: list[BaseException] = []
    pruned_before_read = 0
    done = threading.Event()

    def read_continuously() -> None:
        nonlocal pruned_before_read
        while not done.is_set():
            version = (published / "parquet").resolve()
            try:
                with duckdb.connect(str(published / "passerelle.duckdb"), read_only=True) as connection:
                    database_rows = connection.execute("select count(*) from marts.skills").fetchone()[0]
                    parquet_rows = connection.execute(
                        f"select count(*) from read_parquet('{version}/*.parquet', union_by_name = true)"
                        " where skill_code is not null"
                    ).fetchone()[0]
                observed.append((database_rows, parquet_rows))
            except BaseException as error:  # any failure to read is a gap, but for a pruned version
                if version.exists():
                    failures.append(error)
                else:
                    pruned_before_read += 1

    reader = threading.Thread(target=read_continuously)
    reader.start()
    for publication in range(12):
        publish(warehouses[9 if publication % 2 == 0 else 7], published)
    done.set()
    reader.join()
    assert failures == []
    assert len(observed) > 5 and len(observed) > pruned_before_read
    assert {database for database, _ in observed} <= {7, 9}
    assert {parquet for _, parquet in observed} <= {7, 9}


def test_publish_without_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse to publish"):
        publish(tmp_path / "missing.duckdb", tmp_path / "published")
