"""Everything Dagster loads for passerelle, assembled explicitly."""

from __future__ import annotations

import dagster as dg

from ingestion import france_travail_stats, mon_compte_formation
from ingestion.catalog import RAW_TABLES
from ingestion.downloads import DOWNLOADS
from orchestration.assets.candidates import candidate_profiles
from orchestration.assets.dbt import dbt_asset_keys, passerelle_dbt_stages
from orchestration.assets.downloads import (
    STATS_KEY,
    build_download_asset,
    downloads_by_table,
    france_travail_stats_download,
)
from orchestration.assets.matching import (
    extracted_posting_skills,
    posting_candidate_matches,
    posting_training_matches,
)
from orchestration.assets.offers import france_travail_job_offers
from orchestration.assets.programme import programme_participants
from orchestration.assets.publish import (
    build_operator_asset,
    build_publish_asset,
    published_dbt_docs,
    published_report,
)
from orchestration.assets.raw import build_raw_assets
from orchestration.assets.training import training_supply_coverage, training_text_links
from orchestration.checks import alert_on_run_failure, build_quality_checks, mart_freshness_checks
from orchestration.executors import build_executor
from orchestration.resources import build_resources, dbt_project, settings
from orchestration.run_history import write_local_run_history_without_fsync
from orchestration.schedules import nightly_refresh, offers_job, refresh_after_offers, refresh_all_job

# Where the definitions load (`passerelle run`, the run worker the UI or the schedule launches, the
# code server), the events of a run are written to the local run history without an fsync each.
write_local_run_history_without_fsync()

mart_keys = [key for key in dbt_asset_keys if key.path[0] == "marts"]
# Operator tables about people (dbt models/private): copied to private/operator/, never published.
private_keys = [key for key in dbt_asset_keys if key.path[0] == "private"]

# With PASSERELLE_OPEN_DATA_SOURCE=download, the folders of ingestion.downloads are refreshed from
# their publishers first, and the raw tables read from them wait for their download; in live
# France Travail mode, so are the statistics API answers.
downloading = settings.open_data_source == "download"
live = settings.offers_source == "live"
download_assets = [
    *([build_download_asset(download) for download in DOWNLOADS] if downloading else []),
    *([france_travail_stats_download] if live else []),
]
# The Mon Compte Formation catalogue has no bundled copy: it exists only once downloaded.
raw_tables = [*RAW_TABLES, *([mon_compte_formation.LIVE_TABLE] if downloading else [])]
raw_assets = build_raw_assets(
    raw_tables,
    {
        **(downloads_by_table(DOWNLOADS) if downloading else {}),
        **({france_travail_stats.SOURCE: [STATS_KEY]} if live else {}),
    },
)

quality_checks = build_quality_checks(raw_tables, dbt_project.manifest_path)

defs = dg.Definitions(
    assets=[
        *download_assets,
        *raw_assets,
        france_travail_job_offers,
        candidate_profiles,
        programme_participants,
        *passerelle_dbt_stages,
        extracted_posting_skills,
        training_text_links,
        training_supply_coverage,
        posting_training_matches,
        posting_candidate_matches,
        build_publish_asset(mart_keys),
        build_operator_asset(private_keys),
        published_dbt_docs,
        published_report,
    ],
    asset_checks=[
        *quality_checks,
        *mart_freshness_checks,
    ],
    jobs=[offers_job, refresh_all_job],
    schedules=[nightly_refresh],
    sensors=[
        refresh_after_offers,
        alert_on_run_failure,
        dg.build_sensor_for_freshness_checks(freshness_checks=mart_freshness_checks, name="mart_freshness"),
    ],
    resources=build_resources(),
    # In process unless PASSERELLE_EXECUTOR says otherwise (orchestration/executors.py).
    executor=build_executor(settings),
)
