"""Dagster's local run history written without an fsync per event: the pragma is set on Dagster's
own SQLite connections, and the history still holds every event a run stores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dagster as dg
import sqlalchemy

from orchestration.run_history import write_local_run_history_without_fsync


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
