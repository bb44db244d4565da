"""The pipeline end to end on generated offers, at several sizes: where the time goes.

    python -m bench.pipeline --sizes 10000 100000 [--seed 1] [--results bench/RESULTS.md]

For each size: :mod:`bench.generate` writes a snapshot with that many offers, then ``passerelle
run`` builds everything from it in a temporary data directory with its own Dagster instance, as
``make run`` does. Each step's duration is read back from the instance and summed by stage:

- landing: the raw assets and the offer days (parse, quarantine, write Parquet);
- quality checks: the Great Expectations suites of the raw tables and marts;
- dbt: the three dbt steps (staging, intermediate, marts, their tests);
- extraction: skills and occupations read from each posting's words;
- matching: training links, posting-training and posting-candidate matches, candidates;
- publish: the published and operator copies, the report and the dbt docs.

Peak memory is the largest resident set of the run's process tree (``getrusage`` of the
children). The floor is DuckDB reading the landed offers once (rows, and the summed length of
the descriptions): no pipeline can be faster than reading its input.

What these figures do not show: the runs share the machine with whatever else runs; the
generated offers repeat the bundled texts' vocabulary (1,729 templates), so caches keyed on words
are warmer than on real national data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from bench.generate import write_snapshot

REPOSITORY = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAGES = ("landing", "quality checks", "dbt", "extraction", "matching", "publish")
MATCHING_STEPS = ("training_text_links", "candidates__profiles")


@dataclass
class Measure:
    offers: int
    wall_seconds: float
    peak_memory_mb: float
    stages: dict[str, float]
    floor_seconds: float
    postings: int


def stage_of(step_key: str) -> str:
    if step_key.endswith("_great_expectations") or "freshness" in step_key:
        return "quality checks"
    if step_key.startswith("passerelle_dbt_"):
        return "dbt"
    if step_key == "extracted_posting_skills":
        return "extraction"
    if step_key.startswith("matching__") or step_key in MATCHING_STEPS:
        return "matching"
    if step_key.startswith(("published__", "operator__", "reports__")):
        return "publish"
    return "landing"


def _stage_seconds(dagster_home: Path) -> dict[str, float]:
    program = (
        "import json, sys, dagster as dg\n"
        "instance = dg.DagsterInstance.get()\n"
        "out = []\n"
        "for run in instance.get_runs():\n"
        "    for step in instance.get_run_step_stats(run.run_id):\n"
        "        if step.start_time and step.end_time:  # a skipped step has no times\n"
        "            out.append([step.step_key, step.end_time - step.start_time])\n"
        "print(json.dumps(out))\n"
    )
    environment = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    output = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True
    ).stdout
    seconds = dict.fromkeys(STAGES, 0.0)
    for step_key, duration in json.loads(output.strip().splitlines()[-1]):
        seconds[stage_of(step_key)] += float(duration)
    return seconds


def _floor_seconds(data_dir: Path) -> float:
    """DuckDB reading the landed offers once: row count and summed description length."""
    started = time.perf_counter()
    with duckdb.connect() as connection:
        connection.execute(
            "select count(*), sum(length(description)) from read_parquet(?)",
            [str(data_dir / "raw" / "france_travail" / "job_offers" / "*" / "*.parquet")],
        ).fetchone()
    return time.perf_counter() - started


def measure(offers: int, seed: int, work: Path) -> Measure:
    snapshot = work / f"snapshot_{offers}"
    data_dir = work / f"data_{offers}"
    write_snapshot(snapshot, offers, seed)
    dagster_home = data_dir / "dagster_home"
    dagster_home.mkdir(parents=True)
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    environment = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(data_dir),
        "PASSERELLE_SNAPSHOT_DIR": str(snapshot),
        "DAGSTER_HOME": str(dagster_home),
    }
    started = time.perf_counter()
    subprocess.run([str(BIN / "passerelle"), "run"], cwd=REPOSITORY, env=environment, check=True)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        postings = int(connection.execute("select count(*) from marts.job_postings").fetchone()[0])  # type: ignore[index]
    result = Measure(offers, wall, peak_kb / 1024, _stage_seconds(dagster_home), _floor_seconds(data_dir), postings)
    shutil.rmtree(snapshot)
    shutil.rmtree(data_dir)
    return result


def table(measures: list[Measure]) -> str:
    header = [
        "offers",
        "postings",
        "wall s",
        *(f"{stage} s" for stage in STAGES),
        "peak MB",
        "offers/s",
        "floor s",
        "time vs previous size",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    previous: Measure | None = None
    for item in measures:
        ratio = (
            f"{item.wall_seconds / previous.wall_seconds:.2f}x for {item.offers / previous.offers:.0f}x offers"
            if previous
            else ""
        )
        cells = [
            f"{item.offers:,}",
            f"{item.postings:,}",
            f"{item.wall_seconds:.1f}",
            *(f"{item.stages[stage]:.1f}" for stage in STAGES),
            f"{item.peak_memory_mb:,.0f}",
            f"{item.offers / item.wall_seconds:,.0f}",
            f"{item.floor_seconds:.2f}",
            ratio,
        ]
        lines.append("| " + " | ".join(cells) + " |")
        previous = item
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=REPOSITORY / "bench" / "RESULTS.md")
    args = parser.parse_args()
    measures = []
    with tempfile.TemporaryDirectory(prefix="passerelle_bench_") as work:
        for size in args.sizes:
            measures.append(measure(size, args.seed, Path(work)))
            print(table(measures), flush=True)
    machine = f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB, {platform.platform()}"
    args.results.write_text(
        "# Pipeline at scale (`python -m bench.pipeline`)\n\n"
        f"Machine: {machine}. Generated offers (bench.generate, seed {args.seed}); one `passerelle run` per size.\n"
        "Stage seconds are the sums of the steps' durations; wall includes start-up and scheduling.\n\n"
        + table(measures)
        + "\n\nPeak MB is the largest process of the run (all steps run in one process). The floor is "
        "DuckDB reading the landed offers once.\n"
    )
    print(f"written {args.results}")


if __name__ == "__main__":
    main()
