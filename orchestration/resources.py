"""Turns the environment settings into Dagster resources: the one place that does."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject

from orchestration.settings import DBT_PROJECT_DIR, Settings


class PasserellePaths(dg.ConfigurableResource):
    """Where passerelle reads bundled sources and writes the raw zone, warehouse and outputs."""

    data_dir: str
    snapshot_dir: str
    region: str

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def snapshot_path(self) -> Path:
        return Path(self.snapshot_dir)

    @property
    def warehouse_path(self) -> Path:
        return self.data_path / "warehouse.duckdb"

    @property
    def private_path(self) -> Path:
        """Operator inputs never published: the candidates file and the pseudonymisation salt."""
        return self.data_path / "private"


settings = Settings.from_environment()
settings.export_for_dbt()

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_executable() -> str:
    """dbt from this interpreter's environment when present, else whatever PATH finds."""
    beside_python = Path(sys.executable).parent / "dbt"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("dbt")
    if found is None:
        raise RuntimeError("dbt is not installed: run `make install` (dbt-core and dbt-duckdb are dependencies)")
    return found


def build_resources() -> dict[str, object]:
    return {
        "paths": PasserellePaths(
            data_dir=str(settings.data_dir),
            snapshot_dir=str(settings.snapshot_dir),
            region=settings.region,
        ),
        "dbt": DbtCliResource(
            project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
        ),
    }
