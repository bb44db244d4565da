"""Steps in the warehouse pool run one at a time under the multiprocess executor, while the others
run side by side, with the default local instance (which sets no pool limit)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL, build_executor
from orchestration.settings import Settings

pytestmark = pytest.mark.slow

STEP_SECONDS = 2.0
TIMES_FILE = "PASSERELLE_TEST_STEP_TIMES"  # where each step appends its start and end


def _timed_step(name: str, opens_the_warehouse: bool = False) -> dg.AssetsDefinition:
    pooled = {"pool": WAREHOUSE_POOL, "op_tags": WAREHOUSE_OP_TAGS} if opens_the_warehouse else {}

    @dg.asset(name=name, **pooled)  # type: ignore[arg-type]
    def step() -> None:
        started = time.time()
        time.sleep(STEP_SECONDS)
        with open(os.environ[TIMES_FILE], "a") as times:
            times.write(json.dumps([name, started, time.time()]) + "\n")

    return step


def pool_job() -> dg.JobDefinition:
    settings = Settings(
        data_dir=Path("data"), region="44", snapshot_dir=Path("."), offers_source="snapshot", executor="multiprocess"
    )
    definitions = dg.Definitions(
        assets=[
            _timed_step("dbt_like", opens_the_warehouse=True),
            _timed_step("extraction_like", opens_the_warehouse=True),
            _timed_step("landing_a"),
            _timed_step("landing_b"),
        ],
        jobs=[dg.define_asset_job("pool_job")],
        executor=build_executor(settings),
    )
    return definitions.resolve_job_def("pool_job")


def _overlap(first: list[float], second: list[float]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def test_multiprocess_runs_one_pooled_step_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    times_file = tmp_path / "times.jsonl"
    monkeypatch.setenv(TIMES_FILE, str(times_file))
    job = pool_job()
    assert {node.definition.pool for node in job.nodes} == {WAREHOUSE_POOL, None}
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        result = dg.execute_job(dg.reconstructable(pool_job), instance=instance)
        assert result.success
        # Every step ran in a process of its own (the multiprocess executor, not in process).
        pids = {
            record.dagster_event.pid
            for record in instance.all_logs(result.run_id, of_type=dg.DagsterEventType.STEP_START)
            if record.dagster_event is not None
        }
        assert len(pids) == 4
    intervals = {
        name: [started, ended] for name, started, ended in map(json.loads, times_file.read_text().splitlines())
    }
    assert sorted(intervals) == ["dbt_like", "extraction_like", "landing_a", "landing_b"]
    assert not _overlap(intervals["dbt_like"], intervals["extraction_like"])
    # Two processes did run at once: the limit is the pool's, not one process for everything.
    names = sorted(intervals)
    assert any(_overlap(intervals[a], intervals[b]) for a in names for b in names if a < b)
