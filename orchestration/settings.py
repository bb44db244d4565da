"""Settings read from the environment, each with a default that works offline.

This is the only module that reads ``os.environ`` for passerelle's own settings.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import ingestion

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
DEFAULT_SNAPSHOT_DIR = Path(ingestion.__file__).resolve().parent / "snapshot"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    region: str
    snapshot_dir: Path
    offers_source: str
    # Where the run-failure sensor POSTs its one-line summary as JSON; None: log only.
    alert_webhook: str | None = None

    @classmethod
    def from_environment(cls) -> Settings:
        offers_source = os.environ.get("PASSERELLE_OFFERS_SOURCE", "snapshot")
        if offers_source not in ("snapshot", "live"):
            raise ValueError(
                f"PASSERELLE_OFFERS_SOURCE: expected 'snapshot' or 'live', found {offers_source!r}"
            )
        region = os.environ.get("PASSERELLE_REGION", "44")
        if not (region.isdigit() and len(region) == 2):
            raise ValueError(f"PASSERELLE_REGION: expected a 2-digit INSEE region code, found {region!r}")
        return cls(
            data_dir=Path(os.environ.get("PASSERELLE_DATA_DIR", "data")).resolve(),
            region=region,
            snapshot_dir=Path(os.environ.get("PASSERELLE_SNAPSHOT_DIR", DEFAULT_SNAPSHOT_DIR)).resolve(),
            offers_source=offers_source,
            alert_webhook=os.environ.get("PASSERELLE_ALERT_WEBHOOK") or None,
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
