"""Open-data downloads against a loopback server that behaves like a static file publisher.

The server holds real bundled files (zipped as their publishers distribute them) and answers
conditional requests like a web server: ETag and Last-Modified on a 200, 304 when If-None-Match
matches. Faults are queued per path: 503 with Retry-After, a body cut short, a lasting 500.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from ingestion import bmo, mon_compte_formation, rncp
from ingestion.downloads import DOWNLOADS_ZONE, STATE_NAME, DownloadError, by_name, refresh, source_tree
from ingestion.http import HttpClient, HttpPolicy
from ingestion.landing import read_manifest
from orchestration.assets.downloads import build_download_asset, download_key
from orchestration.assets.raw import build_raw_asset
from orchestration.resources import OpenDataSources, PasserellePaths
from orchestration.settings import DEFAULT_SNAPSHOT_DIR, Settings

SNAPSHOT = DEFAULT_SNAPSHOT_DIR
BMO_WORKBOOK = SNAPSHOT / "bmo" / "Base_open_data_BMO_2024.xlsx"
RNCP_SAMPLE = SNAPSHOT / "rncp" / "france_competences_export_sample_2024-02-22"
FAST = HttpPolicy(calls_per_second=200, backoff_initial=0.05, backoff_max=0.2, max_attempts=4, read_timeout=5)
LAST_MODIFIED = "Tue, 02 Apr 2024 08:00:00 GMT"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@dataclass
class Publisher:
    """Files by path, served with validators; ``faults[path]`` are answered first, in order."""

    server: HTTPServer
    files: dict[str, bytes] = field(default_factory=dict)
    faults: dict[str, list[str]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def serve(self, path: str, content: bytes) -> str:
        self.files[path] = content
        self.server.expect_request(path).respond_with_handler(self._answer)
        return self.server.url_for(path)

    def _answer(self, request: Request) -> Response:
        self.requests.append((request.path, dict(request.headers)))
        content = self.files[request.path]
        etag = '"' + hashlib.sha256(content).hexdigest()[:16] + '"'
        pending = self.faults.get(request.path) or []
        if pending:
            fault = pending.pop(0)
            if fault == "503":
                return Response("busy", status=503, headers={"Retry-After": "1"})
            if fault == "500":
                pending.insert(0, "500")  # lasting
                return Response("internal error", status=500)
            if fault == "truncated":
                # A stream (not bytes), so that the server keeps the announced length.
                return Response(
                    iter([content[: len(content) // 2]]),
                    headers={"Content-Length": str(len(content))},
                    direct_passthrough=True,
                )
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(content, headers={"ETag": etag, "Last-Modified": LAST_MODIFIED})


@pytest.fixture
def publisher(httpserver: HTTPServer) -> Iterator[Publisher]:
    yield Publisher(httpserver)


def _bmo_urls(publisher: Publisher) -> dict[str, str]:
    return {"workbook": publisher.serve("/bmo/bmo_2024.zip", _zip({BMO_WORKBOOK.name: BMO_WORKBOOK.read_bytes()}))}


def _folder_files(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.mark.slow  # reads the 18-region BMO workbook (openpyxl, ~8 s)
def test_a_download_lands_the_zip_member_beside_the_bundled_companions_and_records_its_checksum(
    tmp_path: Path, publisher: Publisher
) -> None:
    urls = _bmo_urls(publisher)
    outcome = refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))

    folder = tmp_path / DOWNLOADS_ZONE / "bmo"
    assert outcome.changed == ["workbook"] and outcome.not_modified == []
    files = _folder_files(folder)
    # The workbook from the zip, byte for byte; the tension list and SOURCE.txt carried from the bundle.
    assert files[BMO_WORKBOOK.name] == hashlib.sha256(BMO_WORKBOOK.read_bytes()).hexdigest()
    assert sorted(files) == sorted([BMO_WORKBOOK.name, "metiers_en_tension_mars_2024.csv", "SOURCE.txt", STATE_NAME])
    state = json.loads((folder / STATE_NAME).read_text())["parts"]["workbook"]
    assert state["sha256"] == hashlib.sha256(publisher.files["/bmo/bmo_2024.zip"]).hexdigest()
    assert state["bytes"] == len(publisher.files["/bmo/bmo_2024.zip"])
    assert state["last_modified"] == LAST_MODIFIED and state["files"] == [BMO_WORKBOOK.name]

    # The parsers read the tree as they read the bundle: Grand Est's 5,159 rows in 43 bassins.
    tree = source_tree(tmp_path, SNAPSHOT)
    assert (tree / "bmo").resolve() == folder.resolve()
    assert (tree / "rome_v460").resolve() == (SNAPSHOT / "rome_v460").resolve()
    downloaded = bmo.parse_hiring_projects(tree).rows
    grand_est = downloaded[downloaded["reg"] == "44"]
    assert (len(grand_est), grand_est["bassin_code"].nunique()) == (5159, 43)


def test_an_unchanged_file_costs_one_304_and_keeps_the_folder_untouched(tmp_path: Path, publisher: Publisher) -> None:
    urls = _bmo_urls(publisher)
    refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))
    workbook = tmp_path / DOWNLOADS_ZONE / "bmo" / BMO_WORKBOOK.name
    inode = workbook.stat().st_ino

    outcome = refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))

    assert outcome.changed == [] and outcome.not_modified == ["workbook"]
    second_request_headers = publisher.requests[-1][1]
    assert second_request_headers["If-None-Match"].startswith('"')
    assert second_request_headers["If-Modified-Since"] == LAST_MODIFIED
    assert workbook.stat().st_ino == inode  # not rewritten


def test_a_503_and_a_body_cut_short_are_retried_until_the_whole_file_lands(
    tmp_path: Path, publisher: Publisher
) -> None:
    urls = _bmo_urls(publisher)
    publisher.faults["/bmo/bmo_2024.zip"] = ["503", "truncated"]

    outcome = refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))

    assert outcome.changed == ["workbook"]
    assert len(publisher.requests) == 3
    workbook = tmp_path / DOWNLOADS_ZONE / "bmo" / BMO_WORKBOOK.name
    assert hashlib.sha256(workbook.read_bytes()).digest() == hashlib.sha256(BMO_WORKBOOK.read_bytes()).digest()


def test_a_failed_download_keeps_the_previous_version_and_names_the_url(tmp_path: Path, publisher: Publisher) -> None:
    urls = _bmo_urls(publisher)
    refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))
    folder = tmp_path / DOWNLOADS_ZONE / "bmo"
    before = _folder_files(folder)
    publisher.files["/bmo/bmo_2024.zip"] = b"a newer edition"  # a new ETag: it would be downloaded
    publisher.faults["/bmo/bmo_2024.zip"] = ["500"]

    with pytest.raises(DownloadError, match=r"bmo_2024\.zip: answer 500.*previous version is kept"):
        refresh(by_name()["bmo"], urls, tmp_path, SNAPSHOT, HttpClient(FAST))

    assert _folder_files(folder) == before
    assert list((tmp_path / DOWNLOADS_ZONE / "_scratch").iterdir()) == []


def test_a_zip_without_the_expected_member_is_refused_with_its_member_list(
    tmp_path: Path, publisher: Publisher
) -> None:
    url = publisher.serve("/bmo/other.zip", _zip({"metiers_en_tension_mars_2024.csv": b"Region;Code FAP\n"}))

    with pytest.raises(DownloadError, match=r"no member of the zip matches \['Base_open_data_BMO_\*\.xlsx'\]"):
        refresh(by_name()["bmo"], {"workbook": url}, tmp_path, SNAPSHOT, HttpClient(FAST))

    assert not (tmp_path / DOWNLOADS_ZONE / "bmo").exists()


def test_the_rncp_export_is_found_by_prefix_among_the_dataset_resources(tmp_path: Path, publisher: Publisher) -> None:
    export = _zip({path.name: path.read_bytes() for path in sorted(RNCP_SAMPLE.iterdir())})
    newest = publisher.serve("/r/export-fiches-csv-2024-02-22.zip", export)
    older = publisher.serve("/r/export-fiches-csv-2024-02-21.zip", b"not this one")
    dataset = {
        "resources": [
            {"title": "export-fiches-csv-2024-02-21.zip", "url": older},
            {"title": "export-fiches-csv-2024-02-22.zip", "url": newest},
            {"title": "export-fiches-xml-2024-02-22.zip", "url": older},
        ]
    }
    publisher.server.expect_request("/api/1/datasets/rncp/").respond_with_json(dataset)

    outcome = refresh(
        by_name()["rncp"],
        {"export": publisher.server.url_for("/api/1/datasets/rncp/")},
        tmp_path,
        SNAPSHOT,
        HttpClient(FAST),
    )

    assert outcome.changed == ["export"]
    folder = tmp_path / DOWNLOADS_ZONE / "rncp"
    assert (folder / "export-fiches-csv-2024-02-22.zip").exists()
    assert not (folder / RNCP_SAMPLE.name).exists()  # superseded by the download
    tree = source_tree(tmp_path, SNAPSHOT)
    downloaded = rncp.parse_export_table("fiches", tree).rows
    bundled = rncp.parse_export_table("fiches", SNAPSHOT).rows
    assert len(downloaded) == len(bundled) > 0
    assert sorted(downloaded["numero_fiche"]) == sorted(bundled["numero_fiche"])


def _materialize(tmp_path: Path, urls: dict[str, str]) -> dg.ExecuteInProcessResult:
    download = by_name()["bmo"]
    raw = build_raw_asset(bmo.TABLES[0], [download_key(download)])
    return dg.materialize(
        [build_download_asset(download), raw],
        resources={
            "paths": PasserellePaths(data_dir=str(tmp_path), snapshot_dir=str(SNAPSHOT), region="44"),
            "open_data": OpenDataSources(
                source="download", urls={"bmo": urls}, calls_per_second=200, backoff_seconds=0.05, max_attempts=4
            ),
        },
        raise_on_error=False,
    )


@pytest.mark.slow  # reads the BMO workbook
def test_in_dagster_the_raw_table_lands_from_the_download_and_a_failure_stops_before_it(
    tmp_path: Path, publisher: Publisher
) -> None:
    urls = _bmo_urls(publisher)
    assert bmo.TABLES[0].table == "hiring_projects"

    result = _materialize(tmp_path, urls)

    assert result.success
    partition = tmp_path / "raw" / "bmo" / "hiring_projects" / "snapshot"
    manifest = read_manifest(partition)
    zip_sha = hashlib.sha256(publisher.files["/bmo/bmo_2024.zip"]).hexdigest()
    assert f"sha256={zip_sha}" in str(manifest["origin"])
    assert manifest["rows"] == len(bmo.parse_hiring_projects(SNAPSHOT).rows)
    [download_event] = result.asset_materializations_for_node("downloads__bmo")
    assert download_event.metadata["parts_downloaded"].value == ["workbook"]

    landed_before = (partition / "_manifest.json").read_text()
    publisher.files["/bmo/bmo_2024.zip"] = b"a newer edition"
    publisher.faults["/bmo/bmo_2024.zip"] = ["500"]
    failed = _materialize(tmp_path, urls)

    assert not failed.success
    [failure] = [event for event in failed.all_events if event.event_type_value == "STEP_FAILURE"]
    assert failure.step_key == "downloads__bmo"
    assert "bmo_2024.zip: answer 500" in failure.event_specific_data.error.to_string()
    assert (partition / "_manifest.json").read_text() == landed_before  # the raw table was not touched


def test_the_training_catalogue_export_is_asked_for_the_region_and_parsed(tmp_path: Path, publisher: Publisher) -> None:
    # No real Mon Compte Formation export is bundled: this file is written in its format by the
    # parser's unit test (made-up values), served as the Opendatasoft export would be.
    from tests.unit.test_training_mon_compte_formation import HEADER, ROWS

    path = "/api/explore/v2.1/catalog/datasets/moncompteformation_catalogueformation/exports/csv"
    publisher.serve(path, ("\n".join([HEADER, *ROWS]) + "\n").encode())
    template = publisher.server.url_for(path) + "?where=code_region%3D%22{region}%22&delimiter=%3B"

    outcome = refresh(
        by_name()["mon_compte_formation"], {"catalogue": template}, tmp_path, SNAPSHOT, HttpClient(FAST), region="44"
    )

    assert outcome.changed == ["catalogue"]
    assert publisher.server.log[0][0].args.to_dict() == {"where": 'code_region="44"', "delimiter": ";"}
    parsed = mon_compte_formation.parse_catalogue(source_tree(tmp_path, SNAPSHOT))
    assert parsed.rows["numero_formation"].tolist() == ["01_FORM_1"]
    assert parsed.rejects["reject_reason"].tolist() == [
        "column 'frais_ttc_tot_min': expected a number, found 'sur devis'"
    ]


def test_the_mode_and_each_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASSERELLE_OPEN_DATA_SOURCE", "download")
    monkeypatch.setenv("PASSERELLE_URL_BMO_WORKBOOK", "http://127.0.0.1:9/bmo.zip")
    settings = Settings.from_environment()
    assert settings.open_data_source == "download"
    assert settings.download_urls["bmo"] == {"workbook": "http://127.0.0.1:9/bmo.zip"}
    assert settings.download_urls["cog"]["regions"] == by_name()["cog"].parts[2].default_url
    monkeypatch.setenv("PASSERELLE_OPEN_DATA_SOURCE", "live")
    with pytest.raises(
        ValueError, match="PASSERELLE_OPEN_DATA_SOURCE: expected 'snapshot' or 'download', found 'live'"
    ):
        Settings.from_environment()
