"""Open-data downloads: refresh a bundled source folder from its publisher, conditionally.

Each :class:`OpenDataDownload` refreshes one folder of the snapshot layout (``bmo/``,
``rome_v460/`` ...) from one or more URLs (its :class:`Part` s). A refresh:

- asks each URL with ``If-None-Match`` / ``If-Modified-Since`` from the previous download, so an
  unchanged file costs one 304 and no transfer;
- when a part is new, writes the new folder aside: the downloaded files (zip members picked by
  name pattern, or the file itself), plus the bundled files that no part supersedes (a workbook's
  companion CSV, ``SOURCE.txt``), plus the previous download of the parts that answered 304;
- records, in ``_download.json``, each part's URL, ETag, Last-Modified, sha256, size and files;
- swaps the folder in with :func:`ingestion.landing.replace_directory`.

A failed download (an error status after the retries, a zip without the expected member) raises
:class:`DownloadError` before anything is swapped: the previous folder stays as it was.

:func:`source_tree` gives the parsers one directory in the snapshot layout where each folder is
the latest download when there is one, else the bundled folder.

Some publishers put the date in the file name (the RNCP export changes name every day): such a
part gives a data.gouv dataset API URL and a ``listing_prefix``; the newest resource whose title
starts with the prefix is downloaded.
"""

from __future__ import annotations

import fnmatch
import json
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ingestion.http import HttpClient, HttpError, error_message
from ingestion.landing import replace_directory, scratch_folder

STATE_NAME = "_download.json"
DOWNLOADS_ZONE = "downloads"
SOURCE_TREE = "sources"


class DownloadError(RuntimeError):
    """A refresh that could not complete; nothing was replaced."""


@dataclass(frozen=True)
class Part:
    """One URL of a download and what to keep of it.

    ``zip_members``: the body is a zip; its members whose file name matches one of these patterns
    are kept (under their own name, without the zip's folders). Empty: the body is kept as one
    file, named ``file_name`` or, by default, after the last segment of the URL.
    """

    name: str
    default_url: str
    zip_members: tuple[str, ...] = ()
    file_name: str | None = None
    listing_prefix: str | None = None

    def setting(self, download: str) -> str:
        """The environment variable that overrides this part's URL."""
        return f"PASSERELLE_URL_{download}_{self.name}".upper()


@dataclass(frozen=True)
class OpenDataDownload:
    """A bundled folder and where its publisher puts the current version."""

    name: str
    folder: str
    # The raw tables whose parsers read this folder: "<source>" for all tables of a source, or
    # "<source>/<table>" for one.
    feeds: tuple[str, ...]
    cadence: str
    description: str
    parts: tuple[Part, ...]
    # Bundled entries (file or folder names, glob patterns) that a download supersedes.
    supersedes: tuple[str, ...] = ()


@dataclass
class Refresh:
    """What one refresh did, part by part."""

    download: str
    changed: list[str] = field(default_factory=list)
    not_modified: list[str] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_state(folder: Path) -> dict[str, Any]:
    """The ``_download.json`` of a downloaded folder; empty when nothing was downloaded yet."""
    path = folder / STATE_NAME
    if not path.exists():
        return {}
    return json.loads(path.read_text())


def _conditional_headers(previous: Mapping[str, Any] | None, url: str) -> dict[str, str]:
    if not previous or previous.get("url") != url:
        return {}
    headers = {}
    if previous.get("etag"):
        headers["If-None-Match"] = previous["etag"]
    if previous.get("last_modified"):
        headers["If-Modified-Since"] = previous["last_modified"]
    return headers


def _resolve(http: HttpClient, part: Part, url: str) -> str:
    """The file URL of a part: ``url`` itself, or the newest resource of a data.gouv listing."""
    if part.listing_prefix is None:
        return url
    response, payload = http.request("GET", url)
    if response.status_code != 200 or not isinstance(payload, dict):
        raise DownloadError(
            f"GET {url}: expected the dataset's JSON description, got answer {response.status_code}: "
            f"{error_message(response)}"
        )
    resources = [
        resource
        for resource in payload.get("resources") or []
        if isinstance(resource, dict)
        and str(resource.get("title") or _file_name(str(resource.get("url") or ""))).startswith(part.listing_prefix)
    ]
    if not resources:
        titles = [
            str(resource.get("title")) for resource in payload.get("resources") or [] if isinstance(resource, dict)
        ]
        raise DownloadError(
            f"GET {url}: no resource whose title starts with {part.listing_prefix!r}; titles: {titles[:10]}"
        )
    # The title carries the date (export-fiches-csv-YYYY-MM-DD): the greatest is the newest.
    newest = max(resources, key=lambda resource: str(resource.get("title") or resource.get("url")))
    return str(newest["url"])


def _file_name(url: str) -> str:
    return unquote(Path(urlparse(url).path).name)


def _keep(part: Part, body: Path, url: str, into: Path) -> list[str]:
    """Put what is kept of a downloaded body into ``into``; return the kept file names."""
    if not part.zip_members:
        name = part.file_name or _file_name(url)
        shutil.copyfile(body, into / name)
        return [name]
    try:
        archive = zipfile.ZipFile(body)
    except zipfile.BadZipFile as error:
        raise DownloadError(f"{url}: expected a zip archive ({error})") from error
    kept = []
    with archive:
        for member in archive.infolist():
            name = Path(member.filename).name
            if member.is_dir() or not any(fnmatch.fnmatch(name, pattern) for pattern in part.zip_members):
                continue
            with archive.open(member) as source, (into / name).open("wb") as sink:
                shutil.copyfileobj(source, sink)
            kept.append(name)
        if not kept:
            members = [Path(member.filename).name for member in archive.infolist()][:15]
            raise DownloadError(f"{url}: no member of the zip matches {list(part.zip_members)}; members: {members}")
    return sorted(kept)


def refresh(
    download: OpenDataDownload,
    urls: Mapping[str, str],
    data_dir: Path,
    snapshot_dir: Path,
    http: HttpClient,
    region: str = "",
) -> Refresh:
    """Refresh ``data_dir/downloads/<folder>`` from the publisher; see the module docstring.

    ``urls`` maps each part's name to the URL to use (the settings, or the defaults).
    """
    target = data_dir / DOWNLOADS_ZONE / download.folder
    previous = read_state(target)
    previous_parts: dict[str, Any] = previous.get("parts", {})
    outcome = Refresh(download.name)
    staging = scratch_folder(data_dir / DOWNLOADS_ZONE / "_scratch", download.name)
    try:
        fresh = staging / "folder"
        fresh.mkdir()
        parts_state: dict[str, Any] = {}
        for part in download.parts:
            url = _resolve(http, part, urls[part.name].replace("{region}", region))
            before = previous_parts.get(part.name)
            body = staging / f"{part.name}.body"
            try:
                answer = http.download(url, body, headers=_conditional_headers(before, url))
            except HttpError as error:
                raise DownloadError(
                    f"download {download.name!r}, part {part.name!r}: {error}; the previous version is kept"
                ) from error
            if answer.status == 304 and before is None:
                raise DownloadError(f"GET {url}: answer 304 (not modified) to a request that was not conditional")
            if answer.status == 304 and before is not None:
                for name in before["files"]:
                    shutil.copyfile(target / name, fresh / name)
                parts_state[part.name] = {**before, "checked_at": _now()}
                outcome.not_modified.append(part.name)
                continue
            files = _keep(part, body, url, fresh)
            parts_state[part.name] = {
                "url": url,
                "etag": answer.headers.get("ETag"),
                "last_modified": answer.headers.get("Last-Modified"),
                "sha256": answer.sha256,
                "bytes": answer.bytes,
                "files": files,
                "fetched_at": _now(),
                "checked_at": _now(),
            }
            outcome.changed.append(part.name)
        outcome.state = {"download": download.name, "folder": download.folder, "parts": parts_state}
        if not outcome.changed:
            # Every part unchanged: only the check time moves, the files stay where they are.
            _write_state(target, outcome.state)
            return outcome
        downloaded = {name for state in parts_state.values() for name in state["files"]}
        bundled = snapshot_dir / download.folder
        for entry in sorted(bundled.iterdir()) if bundled.is_dir() else []:
            if entry.name in downloaded or any(fnmatch.fnmatch(entry.name, p) for p in download.supersedes):
                continue
            if entry.is_dir():
                shutil.copytree(entry, fresh / entry.name)
            else:
                shutil.copyfile(entry, fresh / entry.name)
        (fresh / STATE_NAME).write_text(json.dumps(outcome.state, indent=2, sort_keys=True))
        replace_directory(fresh, target)
        return outcome
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_state(folder: Path, state: Mapping[str, Any]) -> None:
    staged = folder / f".{STATE_NAME}.new"
    staged.write_text(json.dumps(state, indent=2, sort_keys=True))
    staged.replace(folder / STATE_NAME)


def source_tree(data_dir: Path, snapshot_dir: Path) -> Path:
    """``data_dir/sources``: the snapshot layout, each folder the latest download if any.

    Made of symbolic links, rebuilt whole and swapped in atomically at each call, so a parser
    reading it sees one consistent set of folders.
    """
    downloads = data_dir / DOWNLOADS_ZONE
    staging = scratch_folder(data_dir / "_scratch_sources", "tree")
    tree = staging / SOURCE_TREE
    tree.mkdir()
    folders = {entry.name: entry for entry in snapshot_dir.iterdir() if entry.is_dir()}
    for entry in downloads.iterdir() if downloads.is_dir() else []:
        if entry.is_dir() and (entry / STATE_NAME).exists():
            folders[entry.name] = entry
    for name, folder in sorted(folders.items()):
        (tree / name).symlink_to(folder.resolve(), target_is_directory=True)
    final = data_dir / SOURCE_TREE
    replace_directory(tree, final)
    shutil.rmtree(staging, ignore_errors=True)
    return final


def described_origin(data_dir: Path, folder: str) -> str | None:
    """For a raw table's manifest: the URL and sha256 of each part of the folder's download."""
    state = read_state(data_dir / DOWNLOADS_ZONE / folder)
    if not state:
        return None
    return "; ".join(
        f"{name}: {part['url']} sha256={part['sha256']} fetched_at={part['fetched_at']}"
        for name, part in sorted(state["parts"].items())
    )


# The downloads passerelle knows. URLs are defaults; each is overridden by the environment
# variable Part.setting(download) (see README, "Open-data downloads").
DOWNLOADS: tuple[OpenDataDownload, ...] = (
    OpenDataDownload(
        name="bmo",
        folder="bmo",
        feeds=("bmo",),
        cadence="yearly (April)",
        description="France Travail's Besoins en Main-d'Œuvre survey: the yearly open-data workbook.",
        parts=(
            Part(
                "workbook",
                "https://www.data.gouv.fr/fr/datasets/r/54478315-aafd-4070-b8df-a5647297e0c0",
                zip_members=("Base_open_data_BMO_*.xlsx",),
            ),
        ),
        supersedes=("Base_open_data_BMO_*.xlsx",),
    ),
    OpenDataDownload(
        name="rome",
        folder="rome_v460",
        feeds=("rome",),
        cadence="about 3 times a year",
        description="France Travail's ROME 4.0 referential, CSV edition (RefRomeCsv).",
        parts=(
            Part(
                "refromecsv",
                "https://www.data.gouv.fr/api/1/datasets/repertoire-operationnel-des-metiers-et-des-emplois-rome/",
                zip_members=("unix_*_utf8.csv",),
                listing_prefix="RefRomeCsv",
            ),
        ),
        supersedes=("unix_*_utf8.csv*",),
    ),
    OpenDataDownload(
        name="cog",
        folder="geo_cog",
        feeds=("geography/communes", "geography/departements", "geography/regions"),
        cadence="yearly (January)",
        description="INSEE's Code officiel géographique: communes, départements, régions.",
        parts=(
            Part("communes", "https://www.insee.fr/fr/statistiques/fichier/7766585/v_commune_2024.csv"),
            Part("departements", "https://www.insee.fr/fr/statistiques/fichier/7766585/v_departement_2024.csv"),
            Part("regions", "https://www.insee.fr/fr/statistiques/fichier/7766585/v_region_2024.csv"),
        ),
        supersedes=("v_*_2024.csv*",),
    ),
    OpenDataDownload(
        name="rncp",
        folder="rncp",
        feeds=("rncp",),
        cadence="daily",
        description="France compétences' daily RNCP and RS export (export-fiches-csv-YYYY-MM-DD.zip).",
        parts=(
            Part(
                "export",
                "https://www.data.gouv.fr/api/1/datasets/"
                "repertoire-national-des-certifications-professionnelles-et-repertoire-specifique/",
                listing_prefix="export-fiches-csv-",
            ),
        ),
        supersedes=("france_competences_export_*",),
    ),
    OpenDataDownload(
        name="mon_compte_formation",
        folder="mon_compte_formation",
        feeds=("mon_compte_formation",),
        cadence="daily",
        description=(
            "Caisse des Dépôts' Mon Compte Formation catalogue, the region's trainings only "
            "(Opendatasoft export filtered on code_region)."
        ),
        parts=(
            Part(
                "catalogue",
                "https://opendata.caissedesdepots.fr/api/explore/v2.1/catalog/datasets/"
                "moncompteformation_catalogueformation/exports/csv?where=code_region%3D%22{region}%22&delimiter=%3B",
                file_name="moncompteformation_catalogueformation.csv",
            ),
        ),
    ),
)


def by_name() -> dict[str, OpenDataDownload]:
    return {download.name: download for download in DOWNLOADS}
