"""Turns the environment settings into Dagster resources: the one place that does."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from ingestion.downloads import OpenDataDownload, Refresh, refresh, source_tree
from ingestion.france_travail_api import OFFERS_SCOPE, OffersSearch
from ingestion.http import ClientCredentialsToken, HttpClient, HttpPolicy
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


class HttpCalls(dg.ConfigurableResource):
    """How patient and how fast a resource calling remote services is (ingestion.http.HttpPolicy)."""

    calls_per_second: float = HttpPolicy.calls_per_second
    max_attempts: int = HttpPolicy.max_attempts
    backoff_seconds: float = HttpPolicy.backoff_initial
    read_timeout_seconds: float = HttpPolicy.read_timeout

    def http_client(self) -> HttpClient:
        return HttpClient(
            HttpPolicy(
                calls_per_second=self.calls_per_second,
                max_attempts=self.max_attempts,
                backoff_initial=self.backoff_seconds,
                read_timeout=self.read_timeout_seconds,
            )
        )


class OpenDataSources(HttpCalls):
    """Where the raw assets read the open data: the bundled snapshot, or the latest downloads.

    In ``download`` mode each ``["downloads", <name>]`` asset refreshes its folder from the
    publisher (``urls``: download name -> part name -> URL) and the raw assets parse a tree where
    the downloaded folders stand in for the bundled ones.
    """

    source: str = "snapshot"
    # Live France Travail mode also refreshes the statistics folder (downloads/france_travail_stats_api).
    live_france_travail: bool = False
    urls: dict[str, dict[str, str]] = {}

    @property
    def downloading(self) -> bool:
        return self.source == "download"

    def source_path(self, paths: PasserellePaths) -> Path:
        """The directory the raw parsers read (snapshot layout)."""
        if not (self.downloading or self.live_france_travail):
            return paths.snapshot_path
        return source_tree(paths.data_path, paths.snapshot_path)

    def refresh(self, download: OpenDataDownload, paths: PasserellePaths) -> Refresh:
        return refresh(
            download, self.urls[download.name], paths.data_path, paths.snapshot_path, self.http_client(), paths.region
        )


class FranceTravailApi(HttpCalls):
    """Where and how fast passerelle calls the France Travail partner APIs in live mode.

    The credentials are deliberately not fields (resource configuration is shown in the Dagster
    UI): they are read from the settings when a client is made, at execution time.
    """

    offers_source: str
    token_url: str
    api_url: str

    def token(self, scope: str) -> ClientCredentialsToken:
        current = Settings.from_environment()
        if current.france_travail_client_id is None or current.france_travail_client_secret is None:
            raise ValueError(
                "FRANCE_TRAVAIL_CLIENT_ID and FRANCE_TRAVAIL_CLIENT_SECRET must be set to call the France Travail API"
            )
        return ClientCredentialsToken(
            self.http_client(),
            self.token_url,
            current.france_travail_client_id,
            current.france_travail_client_secret,
            scope,
        )

    def offers_search(self) -> OffersSearch:
        return OffersSearch(self.token(OFFERS_SCOPE), self.api_url)


settings = Settings.from_environment()
settings.export_for_dbt()

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class PasserelleDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource, less two costs of each run that passerelle does not use.

    dagster-dbt opens a dbt adapter in this process before every dbt command, for its
    fetch_row_counts and fetch_column_metadata; passerelle reads the warehouse itself once dbt
    has exited (orchestration/assets/dbt.py), and the adapter cost ~9 s on the first dbt step (dbt's
    import) and ~3 s on each other one. It also runs `dbt --version` once per run to learn which
    dbt it drives (~5 s, and a call to PyPI for the latest version): the dbt beside this interpreter
    (dbt_executable) is the dbt-core installed with it.
    """

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))


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
    http_calls = {
        "calls_per_second": settings.http_policy.calls_per_second,
        "max_attempts": settings.http_policy.max_attempts,
        "backoff_seconds": settings.http_policy.backoff_initial,
        "read_timeout_seconds": settings.http_policy.read_timeout,
    }
    return {
        "paths": PasserellePaths(
            data_dir=str(settings.data_dir),
            snapshot_dir=str(settings.snapshot_dir),
            region=settings.region,
        ),
        "france_travail_api": FranceTravailApi(
            offers_source=settings.offers_source,
            token_url=settings.france_travail_token_url,
            api_url=settings.france_travail_api_url,
            **http_calls,
        ),
        "open_data": OpenDataSources(
            source=settings.open_data_source,
            live_france_travail=settings.offers_source == "live",
            urls=settings.download_urls,
            **http_calls,
        ),
        "dbt": PasserelleDbtCli(
            project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
        ),
    }
