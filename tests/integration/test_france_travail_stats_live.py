"""The statistics APIs, live, against the loopback France Travail (bundled answers replayed)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer

from ingestion import france_travail_stats, rome
from ingestion.downloads import DOWNLOADS_ZONE, STATE_NAME, source_tree
from ingestion.france_travail_stats import REFERENTIAL
from ingestion.france_travail_stats_api import planned_calls, refresh_stats
from ingestion.http import ClientCredentialsToken, HttpClient, HttpError, HttpPolicy, Secret
from orchestration.assets.downloads import france_travail_stats_download
from orchestration.assets.raw import build_raw_asset
from orchestration.resources import FranceTravailApi, OpenDataSources, PasserellePaths
from tests.conftest import SNAPSHOT_DIR
from tests.fake_france_travail import CLIENT_ID, CLIENT_SECRET, DE_1_ANSWER, FakeFranceTravail

FAST = HttpPolicy(calls_per_second=200, backoff_initial=0.05, backoff_max=0.2, max_attempts=4, read_timeout=5)
DE_1_FILE = DE_1_ANSWER.name
TRAINING_FILE = "stat-acces-emploi-sorties-formation_REG75_response.json"


@pytest.fixture
def fake(httpserver: HTTPServer) -> FakeFranceTravail:
    return FakeFranceTravail(httpserver).install()


def _token_for(fake: FakeFranceTravail):  # noqa: ANN202 - a factory of tokens
    http = HttpClient(FAST)
    return lambda scope: ClientCredentialsToken(http, fake.token_url, CLIENT_ID, Secret(CLIENT_SECRET), scope)


def _all_bytes(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_the_answers_land_as_the_bundled_files_and_parse_to_the_same_figures(
    tmp_path: Path, fake: FakeFranceTravail
) -> None:
    calls = planned_calls("75", ["A1203", "M1805"])

    outcome = refresh_stats(calls, _token_for(fake), fake.api_url, tmp_path)

    assert outcome.saved == [REFERENTIAL, DE_1_FILE]
    assert outcome.no_data == ["stat-demandeurs_DE_1_REG75_M1805_response.json", TRAINING_FILE]
    folder = tmp_path / DOWNLOADS_ZONE / france_travail_stats.FOLDER
    assert (folder / DE_1_FILE).read_bytes() == DE_1_ANSWER.read_bytes()
    state = json.loads((folder / STATE_NAME).read_text())
    assert state["parts"][DE_1_FILE]["sha256"] == hashlib.sha256(DE_1_ANSWER.read_bytes()).hexdigest()
    # One token per API, each with its own scope; the bodies ask for the region and each code.
    assert sorted(body["scope"][0] for body in fake.token_bodies) == [
        "api_stats-entrees-sorties-formationsv1 accesemploiDEformes",
        "api_stats-offres-demandes-emploiv1 offresetdemandesemploi",
    ]
    asked = [body["codeActivite"] for path, body in fake.stats_calls if path.endswith("/stat-demandeurs")]
    assert asked == ["A1203", "M1805"]

    values = france_travail_stats.parse_indicator_values(source_tree(tmp_path, SNAPSHOT_DIR)).rows
    third_quarter = values[(values["period_code"] == "2022T3") & (values["nomenclature_code"] == "ABC")]
    main = third_quarter[third_quarter["characteristic_code"].isna()]
    women = third_quarter[third_quarter["characteristic_code"] == "F"]
    assert (main["value_count"].tolist(), women["value_count"].tolist()) == ([7390], [520])
    assert CLIENT_SECRET.encode() not in _all_bytes(tmp_path)


def test_a_503_and_a_token_expiring_mid_refresh_are_survived(tmp_path: Path, fake: FakeFranceTravail) -> None:
    fake.stats_faults = ["503", "expire_token"]

    outcome = refresh_stats(planned_calls("75", ["A1203"]), _token_for(fake), fake.api_url, tmp_path)

    assert outcome.saved == [REFERENTIAL, DE_1_FILE]
    assert len(fake.tokens_issued) == 3  # market, renewed market after the 401, training


def test_a_failing_api_keeps_the_previous_answers(tmp_path: Path, fake: FakeFranceTravail) -> None:
    refresh_stats(planned_calls("75", ["A1203"]), _token_for(fake), fake.api_url, tmp_path)
    folder = tmp_path / DOWNLOADS_ZONE / france_travail_stats.FOLDER
    before = _all_bytes(folder)
    fake.stats_faults = ["500"]

    with pytest.raises(HttpError, match=r"referentiel/indicateurs: answer 500"):
        refresh_stats(planned_calls("75", ["A1203"]), _token_for(fake), fake.api_url, tmp_path)

    assert _all_bytes(folder) == before


def test_in_dagster_the_region_digital_fiches_are_asked_for(
    tmp_path: Path, fake: FakeFranceTravail, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("PASSERELLE_OFFERS_SOURCE", "live")
    rome_tables = [table for table in rome.TABLES if table.table in ("fiches", "domains")]
    result = dg.materialize(
        [*(build_raw_asset(table) for table in rome_tables), france_travail_stats_download],
        resources={
            "paths": PasserellePaths(data_dir=str(tmp_path), snapshot_dir=str(SNAPSHOT_DIR), region="44"),
            "open_data": OpenDataSources(live_france_travail=True),
            "france_travail_api": FranceTravailApi(
                offers_source="live",
                token_url=fake.token_url,
                api_url=fake.api_url,
                calls_per_second=200,
                max_attempts=4,
                backoff_seconds=0.05,
                read_timeout_seconds=5,
            ),
        },
    )

    [event] = result.asset_materializations_for_node("downloads__france_travail_stats")
    codes = event.metadata["rome_codes"].value
    fiches = rome.parse("fiches", SNAPSHOT_DIR).rows
    domains = rome.parse("domains", SNAPSHOT_DIR).rows
    digital_domain = set(domains.loc[domains["code_domaine_professionel"] == "M18", "code_rome"])
    flagged = set(fiches.loc[fiches["transition_num"] == "O", "code_rome"])
    assert codes == sorted(digital_domain & flagged) and len(codes) > 10
    asked = [body for path, body in fake.stats_calls if path.endswith("/stat-demandeurs")]
    assert [body["codeActivite"] for body in asked] == codes
    assert {body["codeTerritoire"] for body in asked} == {"44"}
    # Grand Est answers nothing in the replay (only a Nouvelle-Aquitaine answer is bundled).
    assert event.metadata["answers_without_data"].value[-1] == "stat-acces-emploi-sorties-formation_REG44_response.json"
    assert CLIENT_SECRET.encode() not in _all_bytes(tmp_path)
