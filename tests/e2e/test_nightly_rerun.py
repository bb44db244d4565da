"""A nightly rerun over the previous night's data directory, killed twice, then finished from the
Dagster UI.

The rerun works on a copy of the shared build's data directory, its Dagster instance (run history)
included, as a nightly run works on the previous night's, and on the offers in new files of the
same content, as a night's collection brings (unchanged files are not parsed again). `passerelle run` is killed (SIGKILL of
its whole process group) once it has re-landed a few raw partitions, run again and killed while
its first `dbt build` writes the warehouse; then `dagster dev` (webserver and daemon) starts on
loopback and headless chromium launches the `refresh_all` job from its page, which the daemon
runs to completion.

At each kill, every reader of the raw zone and of `published/` must still find a complete version
(the previous one or the new one, never a gap or a mix); after the run launched from the UI, every
table must hold exactly what the first build held, with no duplicate row, and the UI must show the
asset graph grouped by layer and a mart's row count.

The test launches `refresh_all` from the job's page: "Materialize all" on the global graph would
first ask which of the offers' daily partitions to run, which is the nightly schedule's business.
Under xdist (`--dist loadscope`) the module's tests run on one worker, as they share the rerun.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.parquet as pq
import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ingestion import france_travail
from ingestion.catalog import RAW_TABLES
from orchestration.run_history import write_instance_config
from tests.conftest import REPOSITORY_ROOT, SCREENSHOT_DIR, SNAPSHOT_DIR, VENV_BIN, pipeline_environment

pytestmark = pytest.mark.e2e

# The bundled offers fall into 169 creation days, one partition each.
BUNDLED_OFFER_DAYS = 169
# every other source table, the offers' days, the candidates and the programme's participants
RAW_PARTITIONS = len(RAW_TABLES) - 1 + BUNDLED_OFFER_DAYS + 2
# The landing kill falls once this many raw partitions have been re-landed by the rerun.
RELANDED_BEFORE_KILL = 8
STARTUP_SECONDS = 240
RUN_SECONDS = 1500


def relation_counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        relations = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('staging', 'intermediate', 'marts')"
        ).fetchall()
        return {
            name: connection.execute(f"select count(*) from {name}").fetchone()[0]  # type: ignore[index]
            for (name,) in relations
        }


def published_counts(data_dir: Path) -> dict[str, int]:
    """Row count of every mart of the published copy, read as an analyst reads it."""
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as published:
        names = [
            name
            for (name,) in published.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        return {name: published.execute(f'select count(*) from marts."{name}"').fetchone()[0] for name in names}  # type: ignore[index]


def _manifests(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "raw").glob("*/*/*/_manifest.json"))


def raw_zone_counts(data_dir: Path) -> dict[str, int]:
    """Rows of every raw partition, checked against its manifest: one Parquet file holding exactly
    the rows counted, and every source record accounted for (read = landed + quarantined)."""
    counts: dict[str, int] = {}
    for manifest_path in _manifests(data_dir):
        manifest = json.loads(manifest_path.read_text())
        files = sorted(manifest_path.parent.glob("*.parquet"))
        assert [file.name for file in files] == ["part-0.parquet"], manifest_path
        rows = pq.ParquetFile(files[0]).metadata.num_rows
        assert rows == manifest["rows"], manifest_path
        if manifest["rows_read"] is not None:  # counted apart from the parser
            assert manifest["rows_read"] == manifest["rows"] + manifest["rows_quarantined"], manifest_path
        partition = manifest_path.parent.relative_to(data_dir / "raw").as_posix()
        counts[partition] = rows
    return counts


def _dbt_is_writing(process_group: int, warehouse: Path, seen: dict[str, float]) -> bool:
    """True once a `dbt build` of the run has been seen and the warehouse was written since.

    The run's progress lines cannot tell: the dbt step reports its models once dbt has ended. The
    run's processes are read from /proc (their process group is the run's)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[2]) == process_group and b"build" in command and any(part.endswith(b"/dbt") for part in command):
            seen.setdefault("dbt", time.time())
    if "dbt" not in seen:
        return False
    written = max((path.stat().st_mtime for path in warehouse.parent.glob(warehouse.name + "*")), default=0.0)
    return written > seen["dbt"]


def _snapshot_of_the_next_night(snapshot_dir: Path, target: Path) -> Path:
    """The bundled snapshot as a next night finds it: the offers in new files of the same content
    (a night's collection writes new files; unchanged files would not be parsed again), every other
    folder linked as it is (its tables stand as landed)."""
    offer_folders = {folder for folder, _ in france_travail.OFFER_FILES}
    target.mkdir(parents=True)
    for entry in sorted(snapshot_dir.iterdir()):
        if entry.name in offer_folders:
            shutil.copytree(entry, target / entry.name)
        else:
            (target / entry.name).symlink_to(entry.resolve(), target_is_directory=entry.is_dir())
    return target


def _kill_run_when(
    data_dir: Path, snapshot: Path, log: Path, ready: Callable[[int], bool], timeout: float = 1200
) -> float:
    """Start `passerelle run` on ``snapshot``, SIGKILL its process group once ``ready(process
    group)``; return seconds to the kill."""
    started = time.monotonic()
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "passerelle"), "run"],
            cwd=REPOSITORY_ROOT,
            env=pipeline_environment(data_dir, PASSERELLE_SNAPSHOT_DIR=str(snapshot)),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            while not ready(process.pid):
                assert process.poll() is None, "the run ended before the marker: " + log.read_text()[-3000:]
                assert time.monotonic() - started < timeout, "no marker within the timeout"
                time.sleep(0.05)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert process.returncode == -signal.SIGKILL
    return time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def dagster_dev(data_dir: Path, dagster_home: Path, snapshot: Path) -> Iterator[str]:
    """`dagster dev` on a free loopback port over ``data_dir`` and ``snapshot``; yields its URL."""
    port = _free_port()
    log_path = data_dir.parent / "dagster_dev.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPOSITORY_ROOT,
            env=pipeline_environment(data_dir, DAGSTER_HOME=str(dagster_home), PASSERELLE_SNAPSHOT_DIR=str(snapshot)),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert process.poll() is None, log_path.read_text()[-4000:]
                try:
                    with urllib.request.urlopen(f"{url}/server_info", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "dagster dev did not answer in time"
                time.sleep(2)
            yield url
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _run_ids(dagster_home: Path, job_name: str) -> set[str]:
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return {run.run_id for run in instance.get_runs(filters=dg.RunsFilter(job_name=job_name))}


def _wait_for_new_run(dagster_home: Path, job_name: str, known: set[str]) -> dg.DagsterRun:
    """The run of ``job_name`` the UI launched (not in ``known``), once it has finished."""
    deadline = time.monotonic() + RUN_SECONDS
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        while time.monotonic() < deadline:
            runs = [
                run for run in instance.get_runs(filters=dg.RunsFilter(job_name=job_name)) if run.run_id not in known
            ]
            if runs and runs[0].is_finished:
                return runs[0]
            time.sleep(2)
    raise AssertionError(f"no finished run after {RUN_SECONDS} s")


def _new_page(browser: Browser, errors: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def _launch_refresh_all_from_the_ui(page: Page, url: str) -> None:
    page.goto(f"{url}/asset-groups", wait_until="load", timeout=180_000)
    page.get_by_text("marts_postings").first.wait_for(timeout=180_000)
    # A first visit opens a "Join the Dagster community" dialog over the page: dismiss it.
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.first.click()
    page.goto(f"{url}/locations/passerelle/jobs/refresh_all", wait_until="load", timeout=180_000)
    # (the button's accessible name carries its icon's name before the label: no ^ anchor)
    page.get_by_role("button", name=re.compile(r"Materialize all")).first.click(timeout=180_000)
    # The UI may ask to confirm because france_travail/job_offers, upstream, has days without a
    # materialization in its daily range (days with no offer): expected, confirm.
    confirm = page.get_by_role("button", name="Confirm")
    try:
        confirm.wait_for(timeout=15_000)
        page.screenshot(path=str(SCREENSHOT_DIR / "dagster_launch_confirmation.png"))
        confirm.click()
    except PlaywrightTimeoutError:
        pass


@dataclass
class NightlyRerun:
    """What the killed-twice nightly rerun left, against the first build's figures."""

    first_output: str
    data_dir: Path
    url: str
    browser: Browser
    page_errors: list[str]
    first_relations: dict[str, int]
    first_raw: dict[str, int]
    first_published: dict[str, int]
    # taken right after each kill
    relanded_at_landing_kill: int
    raw_at_landing_kill: dict[str, int]
    published_at_landing_kill: dict[str, int]
    raw_at_dbt_kill: dict[str, int]
    published_at_dbt_kill: dict[str, int]
    # the run launched from the UI, and what it left
    runs_before: int
    run: dg.DagsterRun
    relations: dict[str, int]
    raw: dict[str, int]
    published: dict[str, int]


@pytest.fixture(scope="module")
def nightly_rerun(
    built_pipeline: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[NightlyRerun]:
    built_dir, first_output = built_pipeline
    data_dir = tmp_path_factory.mktemp("nightly_rerun") / "data"
    # The previous night's data directory, with its Dagster instance (the UI lists its run).
    shutil.copytree(built_dir, data_dir, symlinks=True)
    dagster_home = data_dir / "dagster_home"
    write_instance_config(dagster_home)  # its run history is the copy's, not the shared build's
    logs = data_dir.parent
    snapshot = _snapshot_of_the_next_night(SNAPSHOT_DIR, data_dir.parent / "snapshot")
    first = {
        "relations": relation_counts(data_dir / "warehouse.duckdb"),
        "raw": raw_zone_counts(data_dir),
        "published": published_counts(data_dir),
    }

    # 1. killed once a few raw partitions are re-landed (the offers' days come first)
    started = time.time()

    def relanded() -> int:
        return sum(1 for path in _manifests(data_dir) if path.stat().st_mtime > started)

    timings = {
        "killed while landing after": _kill_run_when(
            data_dir, snapshot, logs / "killed_landing.log", lambda _: relanded() >= RELANDED_BEFORE_KILL
        )
    }
    relanded_at_kill = relanded()
    at_landing_kill = {"raw": raw_zone_counts(data_dir), "published": published_counts(data_dir)}

    # 2. the next run is killed while dbt builds: a `dbt build` of the run is writing the warehouse
    seen: dict[str, float] = {}
    timings["killed while dbt builds after"] = _kill_run_when(
        data_dir,
        snapshot,
        logs / "killed_dbt.log",
        lambda process_group: _dbt_is_writing(process_group, data_dir / "warehouse.duckdb", seen),
    )
    at_dbt_kill = {"raw": raw_zone_counts(data_dir), "published": published_counts(data_dir)}

    # 3. the refresh launched from the UI, which the daemon runs to completion
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    errors: list[str] = []
    started = time.time()
    with dagster_dev(data_dir, dagster_home, snapshot) as url:
        known = _run_ids(dagster_home, "refresh_all")
        page = _new_page(browser, errors)
        _launch_refresh_all_from_the_ui(page, url)
        run = _wait_for_new_run(dagster_home, "refresh_all", known)
        page.close()
        timings["launched from the UI and finished after"] = time.time() - started
        print("nightly rerun, timings (s): " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()))
        yield NightlyRerun(
            first_output=first_output,
            data_dir=data_dir,
            url=url,
            browser=browser,
            page_errors=errors,
            first_relations=first["relations"],
            first_raw=first["raw"],
            first_published=first["published"],
            relanded_at_landing_kill=relanded_at_kill,
            raw_at_landing_kill=at_landing_kill["raw"],
            published_at_landing_kill=at_landing_kill["published"],
            raw_at_dbt_kill=at_dbt_kill["raw"],
            published_at_dbt_kill=at_dbt_kill["published"],
            runs_before=len(known),
            run=run,
            relations=relation_counts(data_dir / "warehouse.duckdb"),
            raw=raw_zone_counts(data_dir),
            published=published_counts(data_dir),
        )


def test_a_run_killed_while_landing_leaves_every_partition_whole(nightly_rerun: NightlyRerun) -> None:
    # the kill fell inside landing: some partitions re-landed, far from all
    assert RELANDED_BEFORE_KILL <= nightly_rerun.relanded_at_landing_kill < RAW_PARTITIONS
    # every partition is still there, each the previous version or the new one, never empty or mixed
    assert nightly_rerun.raw_at_landing_kill == nightly_rerun.first_raw
    # analysts still read the previous night's published copy, whole
    assert nightly_rerun.published_at_landing_kill == nightly_rerun.first_published


def test_a_run_killed_while_dbt_builds_leaves_the_published_copy_whole(nightly_rerun: NightlyRerun) -> None:
    assert nightly_rerun.raw_at_dbt_kill == nightly_rerun.first_raw
    assert nightly_rerun.published_at_dbt_kill == nightly_rerun.first_published


def test_the_refresh_launched_from_the_ui_succeeds(nightly_rerun: NightlyRerun) -> None:
    assert nightly_rerun.runs_before == 1  # the shared build's; the killed runs were not recorded there
    assert nightly_rerun.run.status == dg.DagsterRunStatus.SUCCESS, (
        f"run {nightly_rerun.run.run_id}: {nightly_rerun.run.status}"
    )
    page = _new_page(nightly_rerun.browser, nightly_rerun.page_errors)
    page.goto(f"{nightly_rerun.url}/runs/{nightly_rerun.run.run_id}", wait_until="load", timeout=180_000)
    page.get_by_text("Success").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_run_success.png"))
    page.close()
    assert nightly_rerun.page_errors == []


def test_the_run_after_two_kills_rebuilds_exactly_the_first_build(nightly_rerun: NightlyRerun) -> None:
    assert nightly_rerun.relations == nightly_rerun.first_relations
    assert nightly_rerun.raw == nightly_rerun.first_raw
    assert nightly_rerun.published == nightly_rerun.first_published
    assert not list((nightly_rerun.data_dir / "raw" / "_scratch").iterdir()), "raw scratch folders left behind"
    assert not list((nightly_rerun.data_dir / "published" / "_scratch").iterdir()), "published scratch left behind"
    with duckdb.connect(str(nightly_rerun.data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        postings, distinct_postings = warehouse.execute(
            "select count(*), count(distinct posting_id) from marts.job_postings"
        ).fetchone()  # type: ignore[misc]
        offer_ids = warehouse.execute(
            "select count(distinct offer_id) from read_parquet(?)",
            [str(nightly_rerun.data_dir / "raw" / "france_travail" / "job_offers" / "*" / "*.parquet")],
        ).fetchone()[0]  # type: ignore[index]
    # one posting per offer id (an offer landed in two versions keeps its latest)
    assert postings == distinct_postings == offer_ids
    assert nightly_rerun.published["job_postings"] == postings


def test_the_ui_groups_assets_by_layer_and_area(nightly_rerun: NightlyRerun) -> None:
    page = _new_page(nightly_rerun.browser, nightly_rerun.page_errors)
    # The global asset graph, grouped by layer and area.
    page.goto(f"{nightly_rerun.url}/asset-groups", wait_until="load", timeout=180_000)
    page.get_by_text("marts_postings").first.wait_for(timeout=180_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_asset_graph.png"))
    # Each group lists its assets on its page (the graphs draw only what is in view, so a group's
    # name or an asset may be absent from them at any given zoom).
    for group, member in (
        ("staging_rome", "stg_rome__items"),
        ("intermediate_postings", "int_job_postings_deduplicated"),
        ("marts_hiring", "hiring_needs"),
        ("published", "dbt_docs"),
    ):
        page.goto(
            f"{nightly_rerun.url}/locations/passerelle/asset-groups/{group}/list", wait_until="load", timeout=180_000
        )
        # The row's link to the asset (its label is middle-truncated to the column's width).
        page.locator(f'a[href$="/{member}"]').first.wait_for(timeout=180_000)
    page.close()
    assert nightly_rerun.page_errors == []


def test_a_marts_page_shows_the_row_count_analysts_read(nightly_rerun: NightlyRerun) -> None:
    rows = nightly_rerun.published["skill_demand"]
    assert rows > 1000
    page = _new_page(nightly_rerun.browser, nightly_rerun.page_errors)
    page.goto(f"{nightly_rerun.url}/assets/marts/skill_demand", wait_until="load", timeout=180_000)
    page.get_by_text("Row count").first.wait_for(timeout=60_000)
    page.get_by_text(f"{rows:,}").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_mart_skill_demand.png"), full_page=True)
    page.close()
    assert nightly_rerun.page_errors == []
