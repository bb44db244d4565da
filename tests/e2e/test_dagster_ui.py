"""The Dagster UI, driven in headless chromium: `dagster dev` (webserver and daemon) on loopback,
the asset graph grouped by layer, the nightly refresh of every asset launched from the UI, a
mart's page showing its row count.

The webserver works on a copy of the shared build's data directory, its Dagster instance (run
history) included, as after any night. The test launches the `refresh_all` job from its page:
"Materialize all" on the global graph would first ask which of the offers' daily partitions to
run, which is the nightly schedule's business, not this test's."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.conftest import REPOSITORY_ROOT, SCREENSHOT_DIR, VENV_BIN, pipeline_environment

pytestmark = pytest.mark.e2e

STARTUP_SECONDS = 240
RUN_SECONDS = 1500


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def dagster_dev(
    built_pipeline: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, Path]]:
    """`dagster dev` on a free loopback port over a copy of the shared build; yields (url, data, home)."""
    data_dir = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(built_pipeline[0], data_dir, symlinks=True)
    dagster_home = data_dir / "dagster_home"
    port = _free_port()
    log = (data_dir / "dagster_dev.log").open("w")
    process = subprocess.Popen(
        [str(VENV_BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
        cwd=REPOSITORY_ROOT,
        env=pipeline_environment(data_dir, DAGSTER_HOME=str(dagster_home)),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, (data_dir / "dagster_dev.log").read_text()[-4000:]
            try:
                with urllib.request.urlopen(f"{url}/server_info", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "dagster dev did not answer in time"
            time.sleep(2)
        yield url, data_dir, dagster_home
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


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
            time.sleep(5)
    raise AssertionError(f"no finished run after {RUN_SECONDS} s")


def test_materialize_all_from_the_ui(dagster_dev: tuple[str, Path, Path], browser) -> None:  # type: ignore[no-untyped-def]
    url, data_dir, dagster_home = dagster_dev
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The global asset graph, grouped by layer and area.
    page.goto(f"{url}/asset-groups", wait_until="load", timeout=180_000)
    page.get_by_text("marts_postings").first.wait_for(timeout=180_000)
    # A first visit opens a "Join the Dagster community" dialog over the page: dismiss it.
    skip = page.get_by_role("button", name="Skip")
    if skip.count():
        skip.first.click()
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_asset_graph.png"))
    # Each group lists its assets on its page (the graphs draw only what is in view, so a group's
    # name or an asset may be absent from them at any given zoom).
    for group, member in (
        ("staging_rome", "stg_rome__items"),
        ("intermediate_postings", "int_job_postings_deduplicated"),
        ("marts_hiring", "hiring_needs"),
        ("published", "dbt_docs"),
    ):
        page.goto(f"{url}/locations/passerelle/asset-groups/{group}/list", wait_until="load", timeout=180_000)
        # The row's link to the asset (its label is middle-truncated to the column's width).
        page.locator(f'a[href$="/{member}"]').first.wait_for(timeout=180_000)

    # Launch the refresh of every asset from the job's page; the daemon runs it to success.
    known = _run_ids(dagster_home, "refresh_all")
    assert len(known) == 1  # the shared build's
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
    run = _wait_for_new_run(dagster_home, "refresh_all", known)
    assert run.status == dg.DagsterRunStatus.SUCCESS, f"run {run.run_id}: {run.status}"
    page.goto(f"{url}/runs/{run.run_id}", wait_until="load", timeout=180_000)
    page.get_by_text("Success").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_run_success.png"))

    # A mart's page shows its row count, the one the published copy holds.
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        rows = connection.execute("select count(*) from marts.skill_demand").fetchone()[0]  # type: ignore[index]
    page.goto(f"{url}/assets/marts/skill_demand", wait_until="load", timeout=180_000)
    page.get_by_text("Row count").first.wait_for(timeout=60_000)
    page.get_by_text(f"{rows:,}").first.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "dagster_mart_skill_demand.png"), full_page=True)
    assert rows > 1000
    assert errors == []
    page.close()
