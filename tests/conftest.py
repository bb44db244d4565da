"""Shared fixtures: the bundled snapshot and a prepared dbt manifest."""

from __future__ import annotations

import os
import subprocess
import sys
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


def _manifest_is_current(manifest: Path) -> bool:
    """True when target/manifest.json is newer than every file dbt parses."""
    if not manifest.exists():
        return False
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources.extend(path for path in (DBT_PROJECT_DIR / folder).rglob("*") if path.is_file())
    built = manifest.stat().st_mtime
    return all(path.stat().st_mtime < built for path in sources)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dagster-dbt needs target/manifest.json at import: parse the project once per session, unless
    `make` has just done it (a parse costs about 8 s, most of it importing dbt)."""
    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not _manifest_is_current(manifest):
        subprocess.run(
            [str(VENV_BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."],
            cwd=DBT_PROJECT_DIR,
            check=True,
        )
    return manifest


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


def run_pipeline(data_dir: Path, timeout: int = 1200, **overrides: str) -> str:
    """Materialize every asset through the real CLI (`passerelle run`); return stdout and logs."""
    completed = subprocess.run(
        [str(VENV_BIN / "passerelle"), "run"],
        cwd=REPOSITORY_ROOT,
        env=pipeline_environment(data_dir, **overrides),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stdout[-8000:] + completed.stderr[-8000:]
    return completed.stdout + "\n" + completed.stderr


@pytest.fixture(scope="session")
def built_pipeline(dbt_manifest: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One full materialization on the bundled snapshot, shared by every end-to-end test.

    Returns the data directory and the run's output (summary and Dagster logs). The run is
    recorded in ``data_dir / "dagster_home"``, so tests can read its materialization metadata.
    Tests must only read it.
    """
    data_dir = tmp_path_factory.mktemp("passerelle_data")
    dagster_home = data_dir / "dagster_home"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return data_dir, run_pipeline(data_dir, DAGSTER_HOME=str(dagster_home))


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
