"""One day of offers materialized in live mode by the documented Dagster command, against a
loopback server behaving like France Travail (with faults), twice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pytest_httpserver import HTTPServer

from orchestration.run_history import write_instance_config
from orchestration.settings import Settings
from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment
from tests.fake_france_travail import (
    CLIENT_ID,
    CLIENT_SECRET,
    CONTACT_EMAIL,
    CONTACT_PHONE,
    DEPARTEMENTS,
    FakeFranceTravail,
    make_offers,
)

DAY = "2026-05-04"


def materialize_day(data_dir: Path, fake: FakeFranceTravail) -> str:
    dagster_home = data_dir / "dagster_home"
    write_instance_config(dagster_home)
    completed = subprocess.run(
        [
            str(VENV_BIN / "dagster"),
            "asset",
            "materialize",
            "-m",
            "orchestration.definitions",
            "--select",
            "france_travail/job_offers",
            "--partition",
            DAY,
        ],
        cwd=REPOSITORY_ROOT,
        env=pipeline_environment(
            data_dir,
            DAGSTER_HOME=str(dagster_home),
            PASSERELLE_OFFERS_SOURCE="live",
            FRANCE_TRAVAIL_CLIENT_ID=CLIENT_ID,
            FRANCE_TRAVAIL_CLIENT_SECRET=CLIENT_SECRET,
            FRANCE_TRAVAIL_TOKEN_URL=fake.token_url,
            FRANCE_TRAVAIL_API_URL=fake.api_url,
            FRANCE_TRAVAIL_CALLS_PER_SECOND="100",
            PASSERELLE_HTTP_BACKOFF_SECONDS="0.05",
        ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = completed.stdout + "\n" + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    return output


def landed_partition(data_dir: Path) -> Path:
    return data_dir / "raw" / "france_travail" / "job_offers" / DAY


def landed_ids(data_dir: Path) -> list[str]:
    return sorted(pq.read_table(landed_partition(data_dir) / "part-0.parquet").column("offer_id").to_pylist())


def assert_nothing_leaked(data_dir: Path, output: str) -> None:
    forbidden = [CLIENT_SECRET, CONTACT_EMAIL, CONTACT_PHONE]
    for line in output.splitlines():
        assert not any(value in line for value in forbidden), line
    checked = 0
    for path in data_dir.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            # Parquet pages are compressed: look at the values themselves.
            content = pq.read_table(path).to_pandas().astype("string").to_csv()
        else:
            content = path.read_bytes().decode("utf-8", errors="replace")
        assert not any(value in content for value in forbidden), path
        checked += 1
    assert checked > 5


@pytest.mark.usefixtures("dbt_manifest")
@pytest.mark.slow  # two `dagster asset materialize` processes
def test_live_partition_lands_the_day_once_through_faults_and_reruns_the_same(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    fake = FakeFranceTravail(httpserver).install()
    # More than one query reaches (3,150) on the day, with offers the day before and after.
    fake.offers = (
        make_offers(DAY, 3300, DEPARTEMENTS, "L")
        + make_offers("2026-05-03", 40, DEPARTEMENTS, "B", start_hour=22)
        + make_offers("2026-05-05", 40, DEPARTEMENTS, "A")
    )
    fake.faults = ["429", "503", "none", "truncated", "none", "expire_token"]
    expected = sorted(fake.ids_created_on(DAY))
    data_dir = tmp_path / "data"

    output = materialize_day(data_dir, fake)
    assert landed_ids(data_dir) == expected
    assert len(expected) == 3300
    assert {429, 503, 401} <= set(fake.answers)
    assert len(fake.tokens_issued) == 2
    assert [path.name for path in landed_partition(data_dir).parent.iterdir()] == [DAY]
    assert_nothing_leaked(data_dir, output)

    # The rerun a week later: 25 offers withdrawn, one updated. Same set (history kept), newest version.
    withdrawn = {fake_offer.offer["id"] for fake_offer in fake.offers[:25]}
    fake.offers = [fake_offer for fake_offer in fake.offers if fake_offer.offer["id"] not in withdrawn]
    updated = fake.offers[0].offer
    updated["intitule"] = "Intitulé mis à jour"
    updated["dateActualisation"] = "2026-05-09T08:00:00.000Z"
    fake.faults = []
    output = materialize_day(data_dir, fake)
    assert landed_ids(data_dir) == expected
    rows = pq.read_table(landed_partition(data_dir) / "part-0.parquet").to_pandas().set_index("offer_id")
    assert rows.loc[updated["id"], "intitule"] == "Intitulé mis à jour"
    assert [path.name for path in landed_partition(data_dir).parent.iterdir()] == [DAY]
    assert not list((data_dir / "raw" / "_scratch").glob("*"))
    assert_nothing_leaked(data_dir, output)


def test_live_mode_without_a_credential_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_OFFERS_SOURCE", "live")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", CLIENT_ID)
    monkeypatch.delenv("FRANCE_TRAVAIL_CLIENT_SECRET", raising=False)
    with pytest.raises(ValueError, match="needs FRANCE_TRAVAIL_CLIENT_SECRET:"):
        Settings.from_environment()
    monkeypatch.delenv("FRANCE_TRAVAIL_CLIENT_ID")
    with pytest.raises(ValueError, match="needs FRANCE_TRAVAIL_CLIENT_ID and FRANCE_TRAVAIL_CLIENT_SECRET:"):
        Settings.from_environment()
    monkeypatch.setenv("PASSERELLE_OFFERS_SOURCE", "api")
    with pytest.raises(ValueError, match="expected 'snapshot' or 'live', found 'api'"):
        Settings.from_environment()


def test_settings_never_show_the_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_OFFERS_SOURCE", "live")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("FRANCE_TRAVAIL_CALLS_PER_SECOND", "7")
    settings = Settings.from_environment()
    assert CLIENT_SECRET not in repr(settings) and CLIENT_SECRET not in str(settings)
    assert settings.france_travail_client_secret is not None
    assert settings.france_travail_client_secret.reveal() == CLIENT_SECRET
    assert settings.http_policy.calls_per_second == 7
    assert settings.france_travail_token_url == (
        "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"
    )
    monkeypatch.setenv("FRANCE_TRAVAIL_CALLS_PER_SECOND", "0")
    with pytest.raises(ValueError, match="FRANCE_TRAVAIL_CALLS_PER_SECOND: expected a positive number, found '0'"):
        Settings.from_environment()


def test_settings_as_a_dict_keep_the_secret_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    monkeypatch.setenv("PASSERELLE_OFFERS_SOURCE", "live")
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("FRANCE_TRAVAIL_CLIENT_SECRET", CLIENT_SECRET)
    assert CLIENT_SECRET not in str(dataclasses.asdict(Settings.from_environment()))
