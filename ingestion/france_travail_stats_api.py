"""France Travail statistics APIs, live: the responses the bundled ``france_travail_stats_api/`` holds.

Three kinds of call, each saved as the JSON file the parser (:mod:`ingestion.france_travail_stats`)
reads, named as the bundled ones are:

- ``GET  /stats-offres-demandes-emploi/v1/referentiel/indicateurs``: the referential of indicators;
- ``POST /stats-offres-demandes-emploi/v1/indicateur/stat-demandeurs`` (indicator DE_1), once per
  ROME code asked for: jobseekers of the region by category, with their breakdown by sex (and age,
  level ...), quarter by quarter;
- ``POST /stats-entrees-sorties-formations/v1/indicateur/stat-acces-emploi-sorties-formation``:
  access to employment of the region's jobseekers after a training.

The two APIs have their own OAuth scopes, on the same token endpoint as the offers. A 204 (no
figure for that code and territory) is recorded, not saved. Any other failure stops the refresh
before anything is replaced (see :func:`refresh_stats`): the previous responses stay in place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ingestion.downloads import DOWNLOADS_ZONE, STATE_NAME
from ingestion.france_travail_stats import FOLDER, REFERENTIAL
from ingestion.http import ClientCredentialsToken, error_message
from ingestion.landing import replace_directory, scratch_folder

MARKET_PATH = "/stats-offres-demandes-emploi/v1"
MARKET_SCOPE = "api_stats-offres-demandes-emploiv1 offresetdemandesemploi"
TRAINING_PATH = "/stats-entrees-sorties-formations/v1"
TRAINING_SCOPE = "api_stats-entrees-sorties-formationsv1 accesemploiDEformes"


class StatsError(RuntimeError):
    """A statistics call that failed; nothing was replaced."""


@dataclass(frozen=True)
class StatsCall:
    """One call: its scope, method, path under the API URL, JSON body and the file it is saved as."""

    scope: str
    method: str
    path: str
    body: dict[str, Any] | None
    file_name: str
    # The key a usable answer must hold: the referential lists indicators, the others periods.
    expected_key: str = "listeValeursParPeriode"


def planned_calls(region: str, rome_codes: Sequence[str]) -> list[StatsCall]:
    """The calls of one refresh for ``region`` (INSEE code) and the ROME codes of interest."""
    calls = [
        StatsCall(MARKET_SCOPE, "GET", f"{MARKET_PATH}/referentiel/indicateurs", None, REFERENTIAL, "listeIndicateurs")
    ]
    calls += [
        StatsCall(
            MARKET_SCOPE,
            "POST",
            f"{MARKET_PATH}/indicateur/stat-demandeurs",
            {
                "codeTypeTerritoire": "REG",
                "codeTerritoire": region,
                "codeTypeActivite": "ROME",
                "codeActivite": code,
                "codeTypePeriode": "TRIMESTRE",
                "codeTypeNomenclature": "CATCAND",
                "sansCaracteristiques": False,
            },
            f"stat-demandeurs_DE_1_REG{region}_{code}_response.json",
        )
        for code in sorted(set(rome_codes))
    ]
    calls.append(
        StatsCall(
            TRAINING_SCOPE,
            "POST",
            f"{TRAINING_PATH}/indicateur/stat-acces-emploi-sorties-formation",
            {
                "codeTypeTerritoire": "REG",
                "codeTerritoire": region,
                "codeTypeActivite": "CUMUL",
                "codeActivite": "CUMUL",
                "codeTypePeriode": "ANNEE",
                "sansCaracteristiques": False,
            },
            f"stat-acces-emploi-sorties-formation_REG{region}_response.json",
        )
    )
    return calls


@dataclass
class StatsRefresh:
    saved: list[str]
    no_data: list[str]
    state: dict[str, Any]


def refresh_stats(
    calls: Sequence[StatsCall],
    token_for: Callable[[str], ClientCredentialsToken],
    api_url: str,
    data_dir: Path,
) -> StatsRefresh:
    """Make every call, then swap the saved answers into ``downloads/france_travail_stats_api``.

    ``token_for(scope)`` gives the token of a scope (one per API). All or nothing: the folder is
    replaced only once every call has answered 200 or 204.
    """
    tokens: dict[str, ClientCredentialsToken] = {}
    staging = scratch_folder(data_dir / DOWNLOADS_ZONE / "_scratch", "france_travail_stats")
    try:
        fresh = staging / FOLDER
        fresh.mkdir()
        saved: list[str] = []
        no_data: list[str] = []
        parts: dict[str, Any] = {}
        for call in calls:
            token = tokens.setdefault(call.scope, token_for(call.scope))
            url = api_url.rstrip("/") + call.path
            where = f"{call.method} {url}" + (f" {json.dumps(call.body, sort_keys=True)}" if call.body else "")
            response, payload = token.request(call.method, url, json_body=call.body)
            if response.status_code == 204:
                no_data.append(call.file_name)
                continue
            if response.status_code != 200:
                raise StatsError(f"{where}: answer {response.status_code}: {error_message(response)}")
            if not isinstance(payload, dict) or call.expected_key not in payload:
                found = f"keys {sorted(payload)[:8]}" if isinstance(payload, dict) else type(payload).__name__
                raise StatsError(f"{where}: expected an object with {call.expected_key!r}, found {found}")
            content = response.content
            (fresh / call.file_name).write_bytes(content)
            # The same record as an open-data download's part (ingestion.downloads).
            parts[call.file_name] = {
                "url": url,
                "body": call.body,
                "sha256": hashlib.sha256(content).hexdigest(),
                "bytes": len(content),
                "files": [call.file_name],
                "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            saved.append(call.file_name)
        state = {
            "download": "france_travail_stats",
            "folder": FOLDER,
            "parts": parts,
            "no_data": no_data,
        }
        (fresh / STATE_NAME).write_text(json.dumps(state, indent=2, sort_keys=True))
        replace_directory(fresh, data_dir / DOWNLOADS_ZONE / FOLDER)
        return StatsRefresh(saved, no_data, state)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
