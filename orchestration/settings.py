"""Settings read from the environment, each with a default that works offline.

This is the only module that reads ``os.environ`` for passerelle's own settings.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import ingestion
from ingestion.downloads import DOWNLOADS
from ingestion.http import HttpPolicy, Secret

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
DEFAULT_SNAPSHOT_DIR = Path(ingestion.__file__).resolve().parent / "snapshot"
# France Travail's partner endpoints ("Offres d'emploi v2" and the other francetravail.io APIs).
DEFAULT_FRANCE_TRAVAIL_TOKEN_URL = (
    "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
)
DEFAULT_FRANCE_TRAVAIL_API_URL = "https://api.francetravail.io/partenaire"
# How a run launched by the daemon, the UI or `dagster job execute` runs its steps (`passerelle run`
# always runs in process): one process, one process per step, or Celery workers (docs/deploy.md).
EXECUTORS = ("in_process", "multiprocess", "celery")
DEFAULT_CELERY_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_CELERY_BACKEND = "redis://127.0.0.1:6379/1"


def _positive_number(name: str, default: float) -> float:
    text = os.environ.get(name)
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value <= 0:
        raise ValueError(f"{name}: expected a positive number, found {text!r}")
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    region: str
    snapshot_dir: Path
    offers_source: str
    # Where the run-failure sensor POSTs its one-line summary as JSON; None: log only.
    alert_webhook: str | None = None
    france_travail_token_url: str = DEFAULT_FRANCE_TRAVAIL_TOKEN_URL
    france_travail_api_url: str = DEFAULT_FRANCE_TRAVAIL_API_URL
    # Live mode only; the secret's repr is masked, so printing the settings shows no credential.
    france_travail_client_id: str | None = None
    france_travail_client_secret: Secret | None = None
    http_policy: HttpPolicy = HttpPolicy()
    # "snapshot": the bundled open data; "download": each ingestion.downloads folder refreshed
    # from its publisher (conditional GET), the bundled copy used for everything else.
    open_data_source: str = "snapshot"
    # download name -> part name -> URL (PASSERELLE_URL_<DOWNLOAD>_<PART>, else the default)
    download_urls: dict[str, dict[str, str]] = field(default_factory=dict)
    executor: str = "in_process"
    # multiprocess executor: at most this many step processes at once.
    max_processes: int = 2
    # The skill extraction's scoring: at most this many worker processes (a run's default).
    extraction_processes: int = 2
    # celery executor: the broker the workers listen to and where they put the steps' results.
    celery_broker: str = DEFAULT_CELERY_BROKER
    celery_backend: str = DEFAULT_CELERY_BACKEND

    @classmethod
    def from_environment(cls) -> Settings:
        offers_source = os.environ.get("PASSERELLE_OFFERS_SOURCE", "snapshot")
        if offers_source not in ("snapshot", "live"):
            raise ValueError(f"PASSERELLE_OFFERS_SOURCE: expected 'snapshot' or 'live', found {offers_source!r}")
        region = os.environ.get("PASSERELLE_REGION", "44")
        if not (region.isdigit() and len(region) == 2):
            raise ValueError(f"PASSERELLE_REGION: expected a 2-digit INSEE region code, found {region!r}")
        client_id = os.environ.get("FRANCE_TRAVAIL_CLIENT_ID") or None
        client_secret = os.environ.get("FRANCE_TRAVAIL_CLIENT_SECRET") or None
        if offers_source == "live":
            missing = [
                name
                for name, value in (
                    ("FRANCE_TRAVAIL_CLIENT_ID", client_id),
                    ("FRANCE_TRAVAIL_CLIENT_SECRET", client_secret),
                )
                if value is None
            ]
            if missing:
                raise ValueError(
                    f"PASSERELLE_OFFERS_SOURCE=live needs {' and '.join(missing)}: the credentials of a "
                    'francetravail.io application subscribed to the "Offres d\'emploi v2" API'
                )
        open_data_source = os.environ.get("PASSERELLE_OPEN_DATA_SOURCE", "snapshot")
        if open_data_source not in ("snapshot", "download"):
            raise ValueError(
                f"PASSERELLE_OPEN_DATA_SOURCE: expected 'snapshot' or 'download', found {open_data_source!r}"
            )
        download_urls = {
            download.name: {
                part.name: os.environ.get(part.setting(download.name)) or part.default_url for part in download.parts
            }
            for download in DOWNLOADS
        }
        executor = os.environ.get("PASSERELLE_EXECUTOR") or "in_process"
        if executor not in EXECUTORS:
            raise ValueError(f"PASSERELLE_EXECUTOR: expected one of {', '.join(EXECUTORS)}, found {executor!r}")
        default_policy = HttpPolicy()
        return cls(
            data_dir=Path(os.environ.get("PASSERELLE_DATA_DIR", "data")).resolve(),
            region=region,
            snapshot_dir=Path(os.environ.get("PASSERELLE_SNAPSHOT_DIR", DEFAULT_SNAPSHOT_DIR)).resolve(),
            offers_source=offers_source,
            alert_webhook=os.environ.get("PASSERELLE_ALERT_WEBHOOK") or None,
            france_travail_token_url=os.environ.get("FRANCE_TRAVAIL_TOKEN_URL") or DEFAULT_FRANCE_TRAVAIL_TOKEN_URL,
            france_travail_api_url=os.environ.get("FRANCE_TRAVAIL_API_URL") or DEFAULT_FRANCE_TRAVAIL_API_URL,
            france_travail_client_id=client_id,
            france_travail_client_secret=Secret(client_secret) if client_secret else None,
            open_data_source=open_data_source,
            download_urls=download_urls,
            executor=executor,
            max_processes=int(_positive_number("PASSERELLE_MAX_PROCESSES", 2)),
            extraction_processes=int(_positive_number("PASSERELLE_EXTRACTION_PROCESSES", 2)),
            celery_broker=os.environ.get("PASSERELLE_CELERY_BROKER") or DEFAULT_CELERY_BROKER,
            celery_backend=os.environ.get("PASSERELLE_CELERY_BACKEND") or DEFAULT_CELERY_BACKEND,
            http_policy=HttpPolicy(
                calls_per_second=_positive_number("FRANCE_TRAVAIL_CALLS_PER_SECOND", default_policy.calls_per_second),
                backoff_initial=_positive_number("PASSERELLE_HTTP_BACKOFF_SECONDS", default_policy.backoff_initial),
                max_attempts=int(_positive_number("PASSERELLE_HTTP_MAX_ATTEMPTS", default_policy.max_attempts)),
                read_timeout=_positive_number("PASSERELLE_HTTP_READ_TIMEOUT_SECONDS", default_policy.read_timeout),
            ),
        )

    def export_for_dbt(self) -> None:
        """dbt runs as a subprocess and reads its paths from these variables (profiles.yml)."""
        os.environ["PASSERELLE_DATA_DIR"] = str(self.data_dir)
        os.environ["PASSERELLE_REGION"] = self.region
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        # Python assets sit between dbt models, so one run builds dbt in several subsets. A test
        # joining two models runs in the subset where its last parent is built, not before.
        os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        # One "planned" event per run of a range of offer days instead of one per day: the bundled
        # offers span 1,285 days, and one sqlite event per day made `make run` minutes slower.
        os.environ.setdefault("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "true")


def pseudonym_salt(private_dir: Path) -> str:
    """PASSERELLE_PSEUDONYM_SALT, else a random salt generated once into ``private_dir``.

    Keeping the generated salt lets pseudonyms stay stable from one run to the next; it lives
    beside the private candidates file and is never copied to any output. Deliberately not a
    resource field: resource configuration is shown in the Dagster UI.
    """
    from_environment = os.environ.get("PASSERELLE_PSEUDONYM_SALT")
    if from_environment:
        return from_environment
    salt_file = private_dir / "pseudonym_salt"
    if not salt_file.exists():
        private_dir.mkdir(parents=True, exist_ok=True)
        salt_file.write_text(secrets.token_hex(32))
        salt_file.chmod(0o600)
    return salt_file.read_text().strip()
