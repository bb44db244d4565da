"""Downloads: one asset per source folder refreshed from its publisher before the raw tables read it.

- open data (PASSERELLE_OPEN_DATA_SOURCE=download): conditional GETs, ingestion.downloads;
- France Travail statistics (PASSERELLE_OFFERS_SOURCE=live, the same credentials as the offers):
  ingestion.france_travail_stats_api.
"""

from collections.abc import Sequence

import dagster as dg
import duckdb

from ingestion import france_travail_stats
from ingestion.downloads import DOWNLOADS_ZONE, OpenDataDownload
from ingestion.france_travail_stats_api import planned_calls, refresh_stats
from ingestion.landing import partition_path
from orchestration.assets.raw import SNAPSHOT_PARTITION
from orchestration.resources import FranceTravailApi, OpenDataSources, PasserellePaths

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


STATS_KEY = dg.AssetKey([DOWNLOADS_ZONE, france_travail_stats.SOURCE])
ROME_FICHES = dg.AssetKey(["rome", "fiches"])
ROME_DOMAINS = dg.AssetKey(["rome", "domains"])


def digital_rome_codes(paths: PasserellePaths) -> list[str]:
    """The ROME fiches of the digital domain (M18) flagged digital-transition, from the landed
    ROME tables: the rule of marts.occupations.is_digital, applied before dbt has run."""
    fiches = partition_path(paths.data_path, "raw", "rome", "fiches", SNAPSHOT_PARTITION) / "*.parquet"
    domains = partition_path(paths.data_path, "raw", "rome", "domains", SNAPSHOT_PARTITION) / "*.parquet"
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"""
            select distinct fiches.code_rome
            from read_parquet('{fiches}') as fiches
            inner join read_parquet('{domains}') as domains on fiches.code_rome = domains.code_rome
            where domains.code_domaine_professionel = 'M18' and fiches.transition_num = 'O'
            order by 1
            """
        ).fetchall()
    return [code for (code,) in rows]


@dg.asset(
    key=STATS_KEY,
    deps=[ROME_FICHES, ROME_DOMAINS],
    group_name=GROUP,
    kinds={"python", "http"},
    description=(
        "France Travail statistics APIs, live: the referential of indicators, jobseekers by category "
        "and sex (DE_1) of the region for each digital ROME fiche (domain M18, digital transition), and "
        "access to employment after training for the region. Saved as the API's JSON answers in "
        "downloads/france_travail_stats_api/ with _download.json (URL, body, sha256 per answer); all "
        "or nothing: a failed call keeps the previous answers."
    ),
)
def france_travail_stats_download(
    context: dg.AssetExecutionContext, paths: PasserellePaths, france_travail_api: FranceTravailApi
) -> dg.MaterializeResult:
    codes = digital_rome_codes(paths)
    outcome = refresh_stats(
        planned_calls(paths.region, codes), france_travail_api.token, france_travail_api.api_url, paths.data_path
    )
    context.log.info(f"{len(outcome.saved)} answers saved, {len(outcome.no_data)} without data (204)")
    return dg.MaterializeResult(
        metadata={
            "rome_codes": dg.MetadataValue.json(codes),
            "answers_saved": dg.MetadataValue.int(len(outcome.saved)),
            "answers_without_data": dg.MetadataValue.json(outcome.no_data),
            "sha256": dg.MetadataValue.json({name: part["sha256"] for name, part in outcome.state["parts"].items()}),
            "path": dg.MetadataValue.path(str(paths.data_path / DOWNLOADS_ZONE / france_travail_stats.FOLDER)),
        }
    )
