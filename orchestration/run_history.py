"""Dagster's local run history (SQLite files under DAGSTER_HOME) written without an fsync per event.

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
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _no_fsync(dbapi_connection: object, _connection_record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("pragma synchronous = off")


def write_local_run_history_without_fsync() -> None:
    """Every SQLite connection SQLAlchemy opens in this process (Dagster's local storage is the
    only one) skips the fsyncs. Idempotent."""
    if not event.contains(Engine, "connect", _no_fsync):
        event.listen(Engine, "connect", _no_fsync)
