"""Dagster's local run history written without an fsync per event and with its connections kept:
the pragma is set on Dagster's own SQLite connections, the instance passerelle writes reuses its
connections, and the history holds every event a run stores, readable by Dagster's own class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.run_history import (
    OPEN_RUN_FILES,
    PooledSqliteEventLogStorage,
    write_instance_config,
    write_local_run_history_without_fsync,
)


def test_sqlite_connections_skip_the_fsync_and_events_are_kept(tmp_path: Path) -> None:
    write_local_run_history_without_fsync()
    write_local_run_history_without_fsync()  # idempotent: one listener
    engine = sqlalchemy.create_engine(f"sqlite:///{tmp_path / 'probe.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("pragma synchronous").scalar() == 0  # OFF
    engine.dispose()

    @dg.asset
    def numbers() -> list[int]:
        return [1, 2, 3]

    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        result = dg.materialize([numbers], instance=instance)
        assert result.success
        stored = Counter(
            record.dagster_event.event_type_value
            for record in instance.all_logs(result.run_id)
            if record.dagster_event is not None
        )
        emitted = Counter(event.event_type_value for event in result.all_events)
        assert emitted["ASSET_MATERIALIZATION"] == 1
        assert emitted <= stored  # every event of the run is in the history
        assert instance.get_latest_materialization_event(dg.AssetKey("numbers")) is not None


CHECKS = 50


@dg.asset(check_specs=[dg.AssetCheckSpec(f"check_{index}", asset="checked") for index in range(CHECKS)])
def checked() -> Iterator[dg.Output | dg.AssetCheckResult]:
    yield dg.Output(1)
    for index in range(CHECKS):
        yield dg.AssetCheckResult(check_name=f"check_{index}", passed=index % 7 != 0)


def test_the_instance_reuses_its_sqlite_connections_and_default_dagster_reads_its_history(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    config = write_instance_config(home)
    assert f"base_dir: {home.resolve() / 'history' / 'runs'}" in config.read_text()
    event_log = home.resolve() / "history" / "runs"
    opened: list[str] = []  # database files of the event log (run files and index) connected to

    def count(_dialect: object, _record: object, arguments: tuple[str, ...], _parameters: object) -> None:
        if Path(arguments[0]).parent == event_log:
            opened.append(Path(arguments[0]).name)

    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "do_connect", count)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
            opened.clear()
            result = dg.materialize([checked], instance=instance)
            events = instance.get_records_for_run(result.run_id, limit=10_000).records
            # ~160 events (a planned and an evaluated event per check, outputs, steps): Dagster's
            # own class opens a connection for each (and one more per check event to look for a
            # table); the pooled one a few per database file.
            assert len(events) > 3 * CHECKS
            assert len(opened) <= 6, f"{len(opened)} connections for {len(events)} events: {Counter(opened)}"
            run_id = result.run_id
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "do_connect", count)

    # The files are Dagster's own: its default storage on the same folder reads every event.
    default = SqliteEventLogStorage(str(event_log))
    evaluations = [
        record.dagster_event.event_specific_data
        for record in default.get_logs_for_run(run_id)
        if record.dagster_event is not None and record.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    assert len(evaluations) == CHECKS
    assert sum(not evaluation.passed for evaluation in evaluations) == len(range(0, CHECKS, 7))
    assert default.get_latest_materialization_events([dg.AssetKey("checked")])[dg.AssetKey("checked")] is not None
    default.dispose()


@pytest.mark.slow  # four Dagster runs
def test_engines_of_older_runs_are_closed(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    write_instance_config(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        assert storage.open_run_files == OPEN_RUN_FILES
        storage.open_run_files = 2  # a few runs then show the eviction
        run_ids = [dg.materialize([checked], instance=instance).run_id for _ in range(4)]
        # the index file and the newest runs' files stay open, never more
        assert len(storage._engines) == 2 + 1
        assert run_ids[0] not in storage._engines and run_ids[-1] in storage._engines
        # an evicted run's history is still read (its engine is made again)
        assert len(instance.get_records_for_run(run_ids[0], limit=10_000).records) > 3 * CHECKS
        instance.wipe()
        assert storage._engines == {} or set(storage._engines) <= {"index"}
        assert instance.get_records_for_run(run_ids[-1], limit=10).records == []
