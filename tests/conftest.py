"""Shared fixtures: the bundled snapshot, a prepared dbt manifest, and the pipeline built once per
test session in the background (shared by the xdist workers of `make test`)."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_DIR = REPOSITORY_ROOT / "ingestion" / "snapshot"
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
VENV_BIN = Path(sys.executable).parent

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    return SNAPSHOT_DIR


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    """An exclusive lock between the processes of one test session (the xdist workers)."""
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder, common to every process of the session: an xdist
    worker's own folder (popen-gwN) lies inside the controller's."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def _manifest_is_current(manifest: Path) -> bool:
    """True when target/manifest.json is newer than every file dbt parses."""
    if not manifest.exists():
        return False
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources.extend(path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file())
    built = manifest.stat().st_mtime
    return all(path.stat().st_mtime < built for path in sources)


def _prepare_manifest(session_root: Path) -> Path:
    """dagster-dbt needs target/manifest.json at import: parse the project unless `make` has just
    done it (a parse costs about 8 s, most of it importing dbt); one process parses at a time."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    with _locked(session_root / "dbt_parse.lock"):
        if not _manifest_is_current(manifest):
            subprocess.run(
                [str(VENV_BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."],
                cwd=DBT_PROJECT_DIR,
                check=True,
            )
    return manifest


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _prepare_manifest(_session_root(tmp_path_factory))


def pipeline_environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of a pipeline subprocess writing under ``data_dir``."""
    environment = dict(os.environ)
    environment.pop("DAGSTER_HOME", None)
    environment.update(
        PASSERELLE_DATA_DIR=str(data_dir),
        PATH=f"{VENV_BIN}{os.pathsep}{environment.get('PATH', '')}",
        **overrides,
    )
    return environment


class SharedBuild:
    """One full materialization on the bundled snapshot through the real CLI (`passerelle run`),
    shared by every end-to-end test of the session and by every xdist worker.

    It starts in the background before the session's first test, so that the unit and
    integration tests run beside it; a test that reads it waits for it. The run's output (summary
    and Dagster logs) and then its exit code are written to files, so that any worker can wait
    for it. The run is recorded in ``data/dagster_home``: tests can read its metadata.
    """

    BUILD_SECONDS = 1500

    def __init__(self, session_root: Path) -> None:
        self.session_root = session_root
        self.folder = session_root / "shared_build"
        self.data_dir = self.folder / "data"
        self.output = self.folder / "run.log"
        self.exit_code = self.folder / "exit_code"
        self.process_group = self.folder / "process_group"

    def start_once(self) -> None:
        _prepare_manifest(self.session_root)
        with _locked(self.session_root / "shared_build.lock"):
            if self.folder.exists():
                return
            dagster_home = self.data_dir / "dagster_home"
            dagster_home.mkdir(parents=True)
            from orchestration.run_history import write_instance_config  # imports Dagster: only here

            write_instance_config(dagster_home)
            # The shell records the exit code once the run has ended, for whichever process waits.
            process = subprocess.Popen(
                [
                    "/bin/sh",
                    "-c",
                    '"$0" run > "$1" 2>&1; echo $? > "$2.partial"; mv "$2.partial" "$2"',
                    str(VENV_BIN / "passerelle"),
                    str(self.output),
                    str(self.exit_code),
                ],
                cwd=REPOSITORY_ROOT,
                env=pipeline_environment(self.data_dir, DAGSTER_HOME=str(dagster_home)),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.process_group.write_text(str(process.pid))

    def wait(self) -> tuple[Path, str]:
        """The data directory and the run's output, once the run has succeeded."""
        self.start_once()
        deadline = time.monotonic() + self.BUILD_SECONDS
        while not self.exit_code.exists():
            if time.monotonic() > deadline:
                pytest.fail(f"the shared build did not end within {self.BUILD_SECONDS} s (see {self.output})")
            time.sleep(1)
        output = self.output.read_text()
        if self.exit_code.read_text().strip() != "0":
            pytest.fail(f"the shared build failed (see {self.output}):\n{output[-8000:]}")
        return self.data_dir, output

    def stop(self) -> None:
        """Kill the build if it still runs (a session interrupted, or stopped by -x)."""
        if self.process_group.exists() and not self.exit_code.exists():
            with suppress(ProcessLookupError):
                os.killpg(int(self.process_group.read_text()), signal.SIGKILL)


def _needs_shared_build(item: pytest.Item) -> bool:
    return "built_pipeline" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the tests so that the shared build overlaps the others: first the modules that do not
    read it (they run while it builds), then those that do. Under xdist (`make test`: one module
    per work unit, `--dist loadscope`), the nightly rerun's tests come first: the longest chain,
    it starts from the shared build, so one worker takes it and waits for the build while the
    other runs everything else."""
    under_xdist = hasattr(config, "workerinput")
    # by module, as xdist hands out whole modules: one test reading the build makes its module wait
    modules_reading_the_build = {item.path for item in items if _needs_shared_build(item)}

    def rank(item: pytest.Item) -> int:
        if under_xdist and "nightly_rerun" in getattr(item, "fixturenames", ()):
            return 0
        return 2 if item.path in modules_reading_the_build else 1

    items.sort(key=rank)  # stable: the collection order holds within each rank


@pytest.fixture(scope="session", autouse=True)
def _start_the_shared_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    if any(_needs_shared_build(item) for item in request.session.items):
        SharedBuild(_session_root(tmp_path_factory)).start_once()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # the controller stops it, once every worker is done with it
    factory: pytest.TempPathFactory | None = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None and factory._basetemp is not None:  # noqa: SLF001 - pytest has no public accessor
        SharedBuild(factory.getbasetemp()).stop()


@pytest.fixture(scope="session")
def built_pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shared build: its data directory and the run's output. Tests must only read it."""
    return SharedBuild(_session_root(tmp_path_factory)).wait()


@pytest.fixture(scope="session")
def built_warehouse(built_pipeline: tuple[Path, str]) -> Path:
    """The warehouse of the shared build (read-only)."""
    return built_pipeline[0] / "warehouse.duckdb"


@pytest.fixture(scope="session")
def extractor_inputs(built_warehouse: Path):  # noqa: ANN201 - matching.extractor_inputs.ExtractorInputs
    """What the skill extractor learns from, read from the shared build's warehouse as the pipeline does."""
    from matching.extractor_inputs import load_extractor_inputs

    return load_extractor_inputs(built_warehouse)


# Debian's chromium, driven by Playwright's Python package: no browser download, loopback only.
CHROMIUM = Path(os.environ.get("PASSERELLE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots the browser tests save, for a person (or CI) to look at.
SCREENSHOT_DIR = REPOSITORY_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """A headless Debian chromium for the session; a missing chromium is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install -y chromium` (as .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
