"""The nightly refresh of every asset."""

from __future__ import annotations

import dagster as dg

from orchestration.checks import mart_freshness_checks

refresh_all_job = dg.define_asset_job(
    name="refresh_all",
    # Freshness is judged between runs, by the mart_freshness sensor.
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(*mart_freshness_checks),
    description="Ingest every source, rebuild the warehouse and its marts, run every check.",
)

nightly_refresh = dg.ScheduleDefinition(
    name="nightly_refresh",
    job=refresh_all_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Paris time: the whole pipeline on the configured sources.",
)
