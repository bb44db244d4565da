"""The pipeline end to end on generated offers, at several sizes: where the time and memory go.

    python -m bench.pipeline --sizes 10000 100000 1000000 [--seed 1] [--results bench/RESULTS.md]

For each size: :mod:`bench.generate` writes a snapshot with that many offers, then ``passerelle
run`` builds everything from it in a temporary data directory with its own Dagster instance, as
``make run`` does. Each step's duration is read back from the instance and summed by stage:

- landing: the raw assets and the offer days (parse, quarantine, write Parquet);
- quality checks: the Great Expectations suites of the raw tables and marts;
- dbt: the dbt steps that build the staging, intermediate and mart models and run their tests
  (``passerelle_dbt_warehouse`` and ``passerelle_dbt_enriched``);
- extraction: skills and occupations read from each posting's words;
- matching: training links, posting-training and posting-candidate matches, candidates;
- indicators: the dbt step after the matches (outcome indicators, funding plan, quality marts);
- publish: the published and operator copies, the report and the dbt docs.

Peak memory: the resident memory of the run's whole process tree (``passerelle run`` and the
dbt processes it starts), summed over its processes and sampled every quarter second from /proc.
Each sample is attributed to the stage of the step running at that instant, so each stage has its
own peak; the run's peak is the largest sample.

Two reference points beside the pipeline:

- the floor: DuckDB reading the landed offers once (rows, and the summed length of the
  descriptions). No pipeline can be faster than reading its input.
- a plain-pandas ``skill_demand``: the same table computed with pandas from the same rows the dbt
  model reads (the counted postings with their territories, and every posting skill, exported
  from the built warehouse to Parquet), read and aggregated in one process, then compared cell
  for cell with ``marts.skill_demand``. The ratio is dbt's execution time for the model (its
  materialization's "Execution Duration") to pandas' time.

Then one night on top of each build: one more creation day of offers (3 % of the build's: 30,000
on a million) is written into the snapshot and ``passerelle run --offer-days DAY DAY`` lands that
day alone and refreshes everything downstream; its wall time is set beside the full build's. The
offers step parses the night's new file only: the files it parsed before are indexed with the days
they hold (ingestion.snapshot_offers).

What these figures do not show: the runs share the machine with whatever else runs; the
generated offers repeat the bundled texts' vocabulary (1,729 templates), so caches keyed on words
are warmer than on real national data.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from bench.generate import generate, write_offers_file, write_snapshot
from orchestration.run_history import write_instance_config

REPOSITORY = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAGES = ("landing", "quality checks", "dbt", "extraction", "matching", "indicators", "publish")
MATCHING_STEPS = ("training_text_links", "candidates__profiles")
INDICATORS_STEP = "passerelle_dbt_outcomes"
SAMPLE_SECONDS = 0.25
# The night measured on top of each build: new offers, as a share of the build's (30,000 on a
# million), all created on the day after the generated window.
NIGHT_SHARE_PERCENT = 3
NIGHT_DAY = date(2026, 5, 5)
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Measure:
    offers: int
    wall_seconds: float
    peak_memory_mb: float
    stages: dict[str, float]
    stage_peak_mb: dict[str, float]
    floor_seconds: float
    postings: int
    skill_demand_dbt_seconds: float
    skill_demand_pandas_seconds: float
    skill_demand_rows: int
    mean_load_average: float
    night_offers: int
    night_wall_seconds: float
    night_stages: dict[str, float]


def stage_of(step_key: str) -> str:
    if step_key.endswith("_great_expectations") or "freshness" in step_key:
        return "quality checks"
    if step_key == INDICATORS_STEP:
        return "indicators"
    if step_key.startswith("passerelle_dbt_"):
        return "dbt"
    if step_key == "extracted_posting_skills":
        return "extraction"
    if step_key.startswith("matching__") or step_key in MATCHING_STEPS:
        return "matching"
    if step_key.startswith(("published__", "operator__", "reports__")):
        return "publish"
    return "landing"


@dataclass
class TreeMemorySampler:
    """Resident memory of a process and all its descendants, sampled on a thread from /proc."""

    root: int
    samples: list[tuple[float, float]] = field(default_factory=list)  # (epoch seconds, MB)
    # The machine's 1-minute load average at each sample: figures taken while other work ran
    # (load above the core count) are slower than the code is.
    load_averages: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def _tree_resident_mb(self) -> float:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces.
                    parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue  # the process ended between the listing and the read
        tree, pending = {self.root}, [self.root]
        while pending:
            parent = pending.pop()
            children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
            tree.update(children)
            pending.extend(children)
        resident = 0
        for pid in tree:
            try:
                resident += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
            except (OSError, IndexError):
                continue
        return resident / 2**20

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.samples.append((time.time(), self._tree_resident_mb()))
            self.load_averages.append(os.getloadavg()[0])

    def __enter__(self) -> TreeMemorySampler:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _instance_query(dagster_home: Path, program: str) -> object:
    """Run ``program`` against the run's Dagster instance in a fresh interpreter; its last line is JSON."""
    environment = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    output = subprocess.run(
        [sys.executable, "-c", "import json, dagster as dg\ninstance = dg.DagsterInstance.get()\n" + program],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _steps(dagster_home: Path) -> list[tuple[str, float, float]]:
    """(step key, start, end) of every step of every run, epoch seconds."""
    steps = _instance_query(
        dagster_home,
        "out = []\n"
        "for run in instance.get_runs():\n"
        "    for step in instance.get_run_step_stats(run.run_id):\n"
        "        if step.start_time and step.end_time:  # a skipped step has no times\n"
        "            out.append([step.step_key, step.start_time, step.end_time])\n"
        "print(json.dumps(out))\n",
    )
    return [(str(key), float(start), float(end)) for key, start, end in steps]  # type: ignore[union-attr]


def _dbt_execution_seconds(dagster_home: Path, asset_path: list[str]) -> float:
    """dbt's own execution time of a model: its latest materialization's "Execution Duration"."""
    return float(
        _instance_query(  # type: ignore[arg-type]
            dagster_home,
            f"event = instance.get_latest_materialization_event(dg.AssetKey({asset_path!r}))\n"
            "print(json.dumps(event.asset_materialization.metadata['Execution Duration'].value))\n",
        )
    )


def stage_figures(
    steps: list[tuple[str, float, float]], samples: list[tuple[float, float]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds and peak MB of each stage: step durations summed, samples taken during its steps."""
    seconds = dict.fromkeys(STAGES, 0.0)
    peaks = dict.fromkeys(STAGES, 0.0)
    for step_key, start, end in steps:
        stage = stage_of(step_key)
        seconds[stage] += end - start
        during = [megabytes for instant, megabytes in samples if start <= instant <= end]
        peaks[stage] = max([peaks[stage], *during])
    return seconds, peaks


def _floor_seconds(data_dir: Path) -> float:
    """DuckDB reading the landed offers once: row count and summed description length."""
    started = time.perf_counter()
    with duckdb.connect() as connection:
        connection.execute(
            "select count(*), sum(length(description)) from read_parquet(?)",
            [str(data_dir / "raw" / "france_travail" / "job_offers" / "*" / "*.parquet")],
        ).fetchone()
    return time.perf_counter() - started


def skill_demand_in_pandas(territories_path: Path, skills_path: Path) -> pd.DataFrame:
    """marts.skill_demand computed with plain pandas from the rows the dbt model reads.

    ``territories_path``: one row per (counted posting, month, territory) (posting_id, month,
    territory_level, territory_code); ``skills_path``: one row per (posting, skill, origin)
    (posting_id, skill_code, origin). Same rules as the SQL: a skill counts once per posting in
    each column, whatever the number of origins naming it.
    """
    territories = pd.read_parquet(territories_path)
    skills = pd.read_parquet(skills_path)
    skills = (
        skills.assign(
            is_structured=skills["origin"].eq("structured"),
            is_in_text=skills["origin"].eq("text"),
            is_occupation_prior=skills["origin"].eq("occupation_prior"),
        )
        .groupby(["posting_id", "skill_code"], as_index=False)[["is_structured", "is_in_text", "is_occupation_prior"]]
        .any()
    )
    skills["is_asking"] = skills["is_structured"] | skills["is_in_text"]
    keys = ["month", "territory_level", "territory_code"]
    # A posting has one row per territory, so rows are distinct postings within a territory.
    totals = territories.groupby(keys).size().rename("postings_total").reset_index()
    joined = territories.merge(skills, on="posting_id")
    demand = (
        joined.groupby([*keys, "skill_code"])
        .agg(
            postings_with_skill=("posting_id", "size"),
            postings_asking=("is_asking", "sum"),
            postings_structured=("is_structured", "sum"),
            postings_in_text=("is_in_text", "sum"),
            postings_occupation_prior=("is_occupation_prior", "sum"),
        )
        .reset_index()
        .merge(totals, on=keys)
    )
    demand["share"] = demand["postings_with_skill"] / demand["postings_total"]
    demand["share_asking"] = demand["postings_asking"] / demand["postings_total"]
    return demand


def skill_demand_reference(warehouse: Path, work: Path) -> tuple[float, int]:
    """Seconds pandas takes for skill_demand, after checking its result equals the mart's."""
    territories_path, skills_path = work / "posting_territories.parquet", work / "posting_skills.parquet"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(
            "copy (select posting_id, month, territory_level, territory_code "
            "from intermediate.int_job_postings_territories_unpivoted) to ? (format parquet)",
            [str(territories_path)],
        )
        connection.execute(
            "copy (select posting_id, skill_code, origin from marts.posting_skills) to ? (format parquet)",
            [str(skills_path)],
        )
        mart = connection.execute("select * from marts.skill_demand").df()
    started = time.perf_counter()
    computed = skill_demand_in_pandas(territories_path, skills_path)
    seconds = time.perf_counter() - started
    keys = ["month", "territory_level", "territory_code", "skill_code"]
    mart = mart.sort_values(keys).reset_index(drop=True)
    computed = computed[list(mart.columns)].sort_values(keys).reset_index(drop=True)
    computed["month"] = pd.to_datetime(computed["month"]).astype(mart["month"].dtype)
    pd.testing.assert_frame_equal(computed, mart, check_dtype=False, check_exact=False, rtol=1e-12)
    return seconds, len(mart)


def _timed_run(arguments: list[str], environment: dict[str, str], data_dir: Path) -> tuple[float, TreeMemorySampler]:
    """``passerelle run`` with ``arguments``: wall seconds and the memory samples of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "passerelle"), "run", *arguments], cwd=REPOSITORY, env=environment)
    with TreeMemorySampler(process.pid) as sampler:
        returncode = process.wait()
    if returncode != 0:
        raise SystemExit(f"passerelle run {' '.join(arguments)} failed (exit {returncode}); data kept in {data_dir}")
    return time.perf_counter() - started, sampler


def add_a_night(snapshot: Path, offers: int, seed: int) -> str:
    """Write one more creation day of ``offers`` offers into ``snapshot`` (the day after the
    generated window, other ids); return the day."""
    day = NIGHT_DAY.isoformat()
    write_offers_file(snapshot, seed + 1, 0, list(generate(offers, seed + 1, end=NIGHT_DAY, days=1)))
    return day


def measure(offers: int, seed: int, work: Path) -> Measure:
    snapshot = work / f"snapshot_{offers}"
    data_dir = work / f"data_{offers}"
    write_snapshot(snapshot, offers, seed)
    dagster_home = data_dir / "dagster_home"
    write_instance_config(dagster_home)
    environment = {
        **os.environ,
        "PASSERELLE_DATA_DIR": str(data_dir),
        "PASSERELLE_SNAPSHOT_DIR": str(snapshot),
        "DAGSTER_HOME": str(dagster_home),
    }
    wall, sampler = _timed_run([], environment, data_dir)
    steps = _steps(dagster_home)
    seconds, peaks = stage_figures(steps, sampler.samples)
    warehouse = data_dir / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        postings = int(connection.execute("select count(*) from marts.job_postings").fetchone()[0])  # type: ignore[index]
    pandas_seconds, demand_rows = skill_demand_reference(warehouse, work)
    floor = _floor_seconds(data_dir)
    dbt_seconds = _dbt_execution_seconds(dagster_home, ["marts", "skill_demand"])
    # One night on top: the new day's offers only, then everything downstream.
    night_offers = max(1, offers * NIGHT_SHARE_PERCENT // 100)
    day = add_a_night(snapshot, night_offers, seed)
    night_started = time.time()
    night_wall, _ = _timed_run(["--offer-days", day, day], environment, data_dir)
    night_seconds, _ = stage_figures([step for step in _steps(dagster_home) if step[1] >= night_started], [])
    result = Measure(
        offers=offers,
        wall_seconds=wall,
        peak_memory_mb=max((megabytes for _, megabytes in sampler.samples), default=0.0),
        stages=seconds,
        stage_peak_mb=peaks,
        floor_seconds=floor,
        postings=postings,
        skill_demand_dbt_seconds=dbt_seconds,
        skill_demand_pandas_seconds=pandas_seconds,
        skill_demand_rows=demand_rows,
        mean_load_average=sum(sampler.load_averages) / max(len(sampler.load_averages), 1),
        night_offers=night_offers,
        night_wall_seconds=night_wall,
        night_stages=night_seconds,
    )
    shutil.rmtree(snapshot)
    shutil.rmtree(data_dir)
    return result


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """The lines of a Markdown table, every column right-aligned."""
    return [_row(header), "|" + "---:|" * len(header), *(_row(cells) for cells in rows)]


def tables(measures: list[Measure]) -> str:
    """Four Markdown tables: time per stage, peak memory per stage, the reference points, the night."""
    time_rows = []
    for previous, item in zip([None, *measures], measures, strict=False):
        ratio = (
            f"{item.wall_seconds / previous.wall_seconds:.2f}x for {item.offers / previous.offers:.0f}x offers"
            if previous
            else ""
        )
        time_rows.append(
            [
                f"{item.offers:,}",
                f"{item.postings:,}",
                f"{item.wall_seconds:.1f}",
                *(f"{item.stages[stage]:.1f}" for stage in STAGES),
                f"{item.offers / item.wall_seconds:,.0f}",
                ratio,
                f"{item.mean_load_average:.1f}",
            ]
        )
    time_table = markdown_table(
        [
            "offers",
            "postings",
            "wall s",
            *(f"{stage} s" for stage in STAGES),
            "offers/s",
            "time vs previous size",
            "load average",
        ],
        time_rows,
    )
    memory_table = markdown_table(
        ["offers", "run peak MB", *(f"{stage} MB" for stage in STAGES)],
        [
            [
                f"{item.offers:,}",
                f"{item.peak_memory_mb:,.0f}",
                *(f"{item.stage_peak_mb[stage]:,.0f}" for stage in STAGES),
            ]
            for item in measures
        ],
    )
    reference_table = markdown_table(
        [
            "offers",
            "floor s",
            "wall / floor",
            "skill_demand rows",
            "skill_demand dbt s",
            "skill_demand pandas s",
            "dbt / pandas",
        ],
        [
            [
                f"{item.offers:,}",
                f"{item.floor_seconds:.2f}",
                f"{item.wall_seconds / item.floor_seconds:,.0f}x",
                f"{item.skill_demand_rows:,}",
                f"{item.skill_demand_dbt_seconds:.2f}",
                f"{item.skill_demand_pandas_seconds:.2f}",
                f"{item.skill_demand_dbt_seconds / item.skill_demand_pandas_seconds:.2f}",
            ]
            for item in measures
        ],
    )
    night_table = markdown_table(
        ["offers", "new day's offers", "night wall s", *(f"night {stage} s" for stage in STAGES), "night / full build"],
        [
            [
                f"{item.offers:,}",
                f"{item.night_offers:,}",
                f"{item.night_wall_seconds:.1f}",
                *(f"{item.night_stages[stage]:.1f}" for stage in STAGES),
                f"{100 * item.night_wall_seconds / item.wall_seconds:.0f} %",
            ]
            for item in measures
        ],
    )
    return "\n\n".join("\n".join(table) for table in (time_table, memory_table, reference_table, night_table))


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {memory_gb:.0f} GB, {platform.platform()}"


def commit() -> str:
    """The commit measured, with "+changes" when the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/RESULTS.md"],
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return head + (" +changes" if changed.strip() else "")


def write_results(path: Path, measures: list[Measure], seed: int) -> None:
    """bench/RESULTS.md with the sizes measured so far (rewritten after each size, so that a larger
    size that fails or is stopped leaves the smaller ones written)."""
    path.write_text(
        "# Pipeline at scale (`python -m bench.pipeline`)\n\n"
        f"Machine: {machine()}. Code: commit {commit()}. Generated offers (bench.generate, seed {seed}); one `passerelle run` per "
        "size, in a temporary data directory.\n"
        "Stage seconds are the sums of the steps' durations; wall includes start-up and scheduling. Peak MB "
        "is the resident memory of the run's process tree (summed over its processes), sampled every "
        f"{SAMPLE_SECONDS} s and attributed to the stage running. Load average: the machine's mean 1-minute "
        f"load during the run ({os.cpu_count()} cores: above that, other work shared the cores).\n\n"
        + tables(measures)
        + "\n\nThe floor is DuckDB reading the landed offers once. The pandas skill_demand computes the same table "
        "from the same rows as the dbt model (checked equal cell for cell); dbt s is the model's own execution "
        "time. The night: one more creation day of offers "
        f"({NIGHT_SHARE_PERCENT} % of the build's), landed alone (`passerelle run --offer-days`), then everything "
        "downstream, on top of the build.\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--results", type=Path, default=REPOSITORY / "bench" / "RESULTS.md")
    args = parser.parse_args()
    measures: list[Measure] = []
    with tempfile.TemporaryDirectory(prefix="passerelle_bench_") as work:
        for size in args.sizes:
            measures.append(measure(size, args.seed, Path(work)))
            print(tables(measures), flush=True)
            write_results(args.results, measures, args.seed)
            print(f"written {args.results} ({len(measures)} of {len(args.sizes)} sizes)", flush=True)


if __name__ == "__main__":
    main()
