"""Dagster's local run history (SQLite files under DAGSTER_HOME): fewer connections, no fsync per event.

A run of passerelle stores about 3,000 events: a planned and an evaluated event for each of its
~600 asset checks (dbt tests and Great Expectations suites), an output and a materialization for
each of its ~240 assets, the steps' starts and ends. Dagster's SQLite storage opens a connection
for each event, commits it and closes the connection; in WAL mode the commit and the checkpoint
at close each wait for the disk. Profiled on the bundled snapshot, storing events took 79 s of a
250 s run (2 cores, load 2.5), 18 s of them in commit and close.

With ``synchronous = OFF`` SQLite hands its writes to the operating system without waiting for
the disk. A process that dies (a killed run) loses nothing; an operating-system crash or a power
cut may corrupt the run history, never the data: the raw zone, the warehouse and the published
copies are replaced by their own atomic swaps. A deployment that must keep its run history
through such crashes uses Dagster's PostgreSQL storage (dagster-postgres), which this does not touch.

Dagster's SQLite event log also builds a SQLAlchemy engine for every event, connects, and disposes
of the engine afterwards: each event pays an engine, a connection (and its pragma) and the
compilation of its INSERT, since SQLAlchemy caches compiled statements per engine. Profiled on a
whole run, that was 38 s of the main process's 179 s. :class:`PooledSqliteEventLogStorage` keeps
one engine per database file (the index and the most recent runs' files), so connections and
compiled statements are reused; the instance uses it through ``dagster.yaml``
(:func:`write_instance_config`). Everything else is Dagster's own storage, files and schema
unchanged: a DAGSTER_HOME written by either class is read by the other.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


def _no_fsync(dbapi_connection: object, _connection_record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("pragma synchronous = off")


def write_local_run_history_without_fsync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process (Dagster's local storage is the
    only one) skips the fsyncs. Idempotent."""
    if not event.contains(Engine, "connect", _no_fsync):
        event.listen(Engine, "connect", _no_fsync)


# Engines kept open at once: the index file and the files of the runs being written or watched.
# An evicted file's engine is disposed of (its connections closed) and rebuilt on the next use.
OPEN_RUN_FILES = 16


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log with one engine per database file, kept between events.

    Connections come from the engine's pool and return to it after each use; as in Dagster's
    class, a lock lets one thread at a time use a connection, and every use is one transaction.
    """

    open_run_files = OPEN_RUN_FILES

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        # Set before Dagster's constructor, which already connects to the index file.
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables_present: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            # The default pool for a SQLite file: connections are reused by whichever thread holds the lock.
            engine = create_engine(
                self.conn_string_for_shard(shard),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            self._engines[shard] = engine
        self._engines.move_to_end(shard)
        while len(self._engines) > self.open_run_files + 1:
            _, evicted = self._engines.popitem(last=False)
            evicted.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:  # type: ignore[override]
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def has_table(self, table_name: str) -> bool:
        # Dagster asks before storing each asset check event, through a new engine each time; a
        # table, once there, stays (migrations add tables, never drop them).
        if table_name not in self._tables_present and super().has_table(table_name):
            self._tables_present.add(table_name)
        return table_name in self._tables_present

    def _dispose_engines(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()

    def wipe(self) -> None:
        # Dagster deletes the run files: close our connections to them first.
        with self._db_lock:
            self._dispose_engines()
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        with self._db_lock:
            self._dispose_engines()


INSTANCE_CONFIG = """\
# Written by passerelle (orchestration/run_history.py): Dagster's default local storage, with an
# event log that keeps its SQLite connections between events. Telemetry off.
telemetry:
  enabled: false
event_log_storage:
  module: orchestration.run_history
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {base_dir}
"""


def write_instance_config(dagster_home: Path) -> Path:
    """Write ``dagster_home/dagster.yaml``: the instance every passerelle command and test uses.

    The event log's folder is written as an absolute path (Dagster's config has no path relative
    to DAGSTER_HOME): a DAGSTER_HOME copied or moved elsewhere needs this again, which every
    ``make`` target that starts Dagster does.
    """
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    path.write_text(INSTANCE_CONFIG.format(base_dir=dagster_home.resolve() / "history" / "runs"))
    return path


if __name__ == "__main__":
    import sys

    print(f"written {write_instance_config(Path(sys.argv[1]))}")
