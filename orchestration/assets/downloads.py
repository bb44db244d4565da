"""Open-data downloads (PASSERELLE_OPEN_DATA_SOURCE=download): one asset per refreshed folder."""

from collections.abc import Sequence

import dagster as dg

from ingestion.downloads import DOWNLOADS_ZONE, OpenDataDownload
from orchestration.resources import OpenDataSources, PasserellePaths

GROUP = "downloads"


def download_key(download: OpenDataDownload) -> dg.AssetKey:
    return dg.AssetKey([DOWNLOADS_ZONE, download.name])


def build_download_asset(download: OpenDataDownload) -> dg.AssetsDefinition:
    @dg.asset(
        key=download_key(download),
        group_name=GROUP,
        kinds={"python", "http"},
        description=(
            f"{download.description} Refreshed {download.cadence} by its publisher; asked on every run "
            f"with If-None-Match / If-Modified-Since, so an unchanged file is not transferred. Lands in "
            f"downloads/{download.folder}/ with _download.json (URL, ETag, Last-Modified, sha256 per file); "
            "a failed download keeps the previous version and fails this asset."
        ),
    )
    def _download(
        context: dg.AssetExecutionContext, paths: PasserellePaths, open_data: OpenDataSources
    ) -> dg.MaterializeResult:
        outcome = open_data.refresh(download, paths)
        context.log.info(
            f"{download.name}: {len(outcome.changed)} part(s) downloaded {outcome.changed}, "
            f"{len(outcome.not_modified)} not modified {outcome.not_modified}"
        )
        parts = outcome.state["parts"]
        return dg.MaterializeResult(
            metadata={
                "parts_downloaded": dg.MetadataValue.json(outcome.changed),
                "parts_not_modified": dg.MetadataValue.json(outcome.not_modified),
                "files": dg.MetadataValue.json({name: part["files"] for name, part in parts.items()}),
                "sha256": dg.MetadataValue.json({name: part["sha256"] for name, part in parts.items()}),
                "bytes": dg.MetadataValue.int(sum(int(part["bytes"]) for part in parts.values())),
                "urls": dg.MetadataValue.json({name: part["url"] for name, part in parts.items()}),
                "path": dg.MetadataValue.path(str(paths.data_path / DOWNLOADS_ZONE / download.folder)),
            }
        )

    return _download


def downloads_by_table(downloads: Sequence[OpenDataDownload]) -> dict[str, list[dg.AssetKey]]:
    """``"<source>"`` or ``"<source>/<table>"`` -> the download assets refreshing what it reads."""
    feeding: dict[str, list[dg.AssetKey]] = {}
    for download in downloads:
        for fed in download.feeds:
            feeding.setdefault(fed, []).append(download_key(download))
    return feeding
