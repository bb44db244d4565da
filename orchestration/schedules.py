"""The nightly refresh: the job offers of the last days, then every other asset.

One Dagster job cannot mix the day-partitioned offers with unpartitioned assets, so there are two:
``france_travail_offers`` (a range of creation days, one run) and ``refresh_all`` (everything
else). The schedule launches the first; when it succeeds, a sensor launches the second.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from ingestion.snapshot_offers import offers_table_directory, snapshot_day_range
from orchestration.assets.offers import OFFERS_KEY, offer_days
from orchestration.checks import mart_freshness_checks
from orchestration.resources import settings

# Offers are updated after they are created: each night re-reads the days before yesterday too,
# so that the newest version of an offer lands (job_postings keeps the newest across days).
OFFER_DAYS_REREAD = 7

offers_job = dg.define_asset_job(
    name="france_travail_offers",
    selection=dg.AssetSelection.assets(OFFERS_KEY),
    partitions_def=offer_days,
    description="France Travail job offers of a range of creation days, in one run.",
)


refresh_all_job = dg.define_asset_job(
    name="refresh_all",
    # Freshness is judged between runs, by the mart_freshness sensor; offers land in their own job.
    selection=(
        dg.AssetSelection.all()
        - dg.AssetSelection.assets(OFFERS_KEY)
        - dg.AssetSelection.checks(*mart_freshness_checks)
    ),
    description=(
        "Ingest every other source, rebuild the warehouse and its marts from every landed day of "
        "offers, run every check."
    ),
)


def offer_days_to_refresh(offers_source: str, snapshot_dir: Path, data_dir: Path, today: date) -> tuple[str, str]:
    """First and last creation day a refresh lands.

    Live: yesterday and the ``OFFER_DAYS_REREAD - 1`` days before it. Snapshot: every bundled day
    (the API returns offers online now, so a snapshot is only ever the days it holds).
    """
    if offers_source == "live":
        yesterday = today - timedelta(days=1)
        return (yesterday - timedelta(days=OFFER_DAYS_REREAD - 1)).isoformat(), yesterday.isoformat()
    # The files the offers step indexed are not parsed again (ingestion.snapshot_offers).
    return snapshot_day_range(snapshot_dir, offers_table_directory(data_dir))


def partition_range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags asking one run for every partition from ``first`` to ``last``."""
    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


@dg.schedule(
    name="nightly_refresh",
    job=offers_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Every night at 02:00 Paris time: the offers created yesterday and re-read for the 6 days "
        "before (live; snapshot: every bundled day), in one run; then refresh_all."
    ),
)
def nightly_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    today = context.scheduled_execution_time.date()
    first, last = offer_days_to_refresh(settings.offers_source, settings.snapshot_dir, settings.data_dir, today)
    return dg.RunRequest(run_key=f"offers-{first}-{last}", tags=partition_range_tags(first, last))


@dg.run_status_sensor(
    name="refresh_after_offers",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[offers_job],
    request_job=refresh_all_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="When offers have landed (nightly, or a backfill from the UI), rebuild the rest.",
)
def refresh_after_offers(context: dg.RunStatusSensorContext) -> dg.RunRequest:
    return dg.RunRequest(run_key=context.dagster_run.run_id)
