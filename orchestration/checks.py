"""Blocking quality checks: the Great Expectations suite of every raw table and published mart,
freshness of the marts, and the alert sent when a run fails. Suites live in ``quality``; this
module only wires them into Dagster."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg
import requests

from ingestion.tables import RawTable
from orchestration.assets.dbt import dbt_asset_keys
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.resources import PasserellePaths
from orchestration.settings import Settings
from quality.mart_contract import MART_GRAINS, documented_columns

if TYPE_CHECKING:
    from quality.gx_runner import SuiteOutcome

CHECK_NAME = "great_expectations"
MART_FRESHNESS = timedelta(hours=36)
ALERT_TIMEOUT_SECONDS = 10


def check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    """The check's result: passed or not, with counts and the first failing values per expectation."""
    return dg.AssetCheckResult(
        passed=outcome.success,
        severity=dg.AssetCheckSeverity.ERROR,
        description=outcome.summary()[:2000],
        metadata={
            "rows_validated": dg.MetadataValue.int(outcome.rows),
            "expectations_evaluated": dg.MetadataValue.int(len(outcome.outcomes)),
            "expectations_failed": dg.MetadataValue.int(len(outcome.failed)),
            "failures": dg.MetadataValue.json(
                [
                    {
                        "expectation": failed.expectation,
                        "column": failed.column,
                        "unexpected_count": failed.unexpected_count,
                        "first_failing_values": failed.first_failing_values,
                        "observed_value": failed.observed_value,
                    }
                    for failed in outcome.failed
                ]
            ),
        },
    )


def build_raw_check(raw_table: RawTable) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey([raw_table.source, raw_table.table]),
        name=CHECK_NAME,
        blocking=True,
        description="Great Expectations suite from the parser's declared columns (exist, types, "
        "required not null) and the table's rules (unique keys, code formats, ranges, dates, "
        "positions), on the landed Parquet. Fails, and blocks what is downstream, on a table-level "
        "failure; rows breaking a row rule were quarantined before landing.",
    )
    def _raw_check(paths: PasserellePaths) -> dg.AssetCheckResult:
        # Great Expectations is imported when a check runs, not when the definitions load.
        from quality.raw_suites import validate_raw_table

        table_directory = paths.data_path / "raw" / raw_table.source / raw_table.table
        return check_result(validate_raw_table(raw_table, table_directory))

    return _raw_check


def build_mart_check(mart: str, columns: list[str]) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        pool=WAREHOUSE_POOL,
        op_tags=WAREHOUSE_OP_TAGS,
        asset=dg.AssetKey(["marts", mart]),
        name=CHECK_NAME,
        blocking=True,
        description="Great Expectations suite of the published contract: documented columns exist, "
        f"grain key ({', '.join(MART_GRAINS[mart])}) never NULL and unique, shares in [0, 1], counts "
        "never negative. A failure stops publication.",
    )
    def _mart_check(paths: PasserellePaths) -> dg.AssetCheckResult:
        from quality.mart_suites import validate_mart

        return check_result(validate_mart(paths.warehouse_path, mart, columns))

    return _mart_check


def build_quality_checks(raw_tables: list[RawTable], manifest_path: Path) -> list[dg.AssetChecksDefinition]:
    """One blocking GX check per raw table and per published mart."""
    marts = documented_columns(manifest_path)
    missing = sorted(set(MART_GRAINS) - set(marts))
    if missing:
        raise ValueError(f"marts with a declared grain but no dbt model: {missing}")
    return [
        *(build_raw_check(raw_table) for raw_table in raw_tables),
        *(build_mart_check(mart, columns) for mart, columns in sorted(marts.items())),
    ]


# Marts not updated for 36 hours are stale (the nightly refresh missed a night). Evaluated by the
# mart_freshness sensor, not by refresh_all: inside the run they would test the previous run.
mart_freshness_checks: list[dg.AssetChecksDefinition] = list(
    dg.build_last_update_freshness_checks(
        assets=[key for key in dbt_asset_keys if key.path[0] == "marts"],
        lower_bound_delta=MART_FRESHNESS,
    )
)


def failure_summary(context: dg.RunFailureSensorContext) -> dict[str, str]:
    """Run id, job, the failed step(s) and the first error message, for one log line or one POST."""
    steps = context.get_step_failure_events()
    step = ", ".join(event.step_key or "?" for event in steps) or "run"
    if steps and steps[0].step_failure_data.error is not None:
        # Dagster wraps the op's exception: the innermost cause names the file and the field.
        info = steps[0].step_failure_data.error
        while info.cause is not None:
            info = info.cause
        error = info.message
    else:
        error = context.failure_event.message or "run failed"
    error = " ".join(error.split())[:500]
    run = context.dagster_run
    return {
        "run_id": run.run_id,
        "job": run.job_name,
        "step": step,
        "error": error,
        "summary": f"passerelle run {run.run_id} ({run.job_name}) failed at {step}: {error}",
    }


@dg.run_failure_sensor(
    name="alert_on_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Logs a one-line summary of every failed run and POSTs it as JSON to "
    "PASSERELLE_ALERT_WEBHOOK when set (one attempt, 10 s timeout).",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    summary = failure_summary(context)
    context.log.error(summary["summary"])
    webhook = Settings.from_environment().alert_webhook
    if webhook is None:
        return
    try:
        response = requests.post(webhook, json=summary, timeout=ALERT_TIMEOUT_SECONDS)
        response.raise_for_status()
    except requests.RequestException as error:
        # One attempt per failed run: a broken webhook must not turn into a retry storm.
        context.log.error(f"alert webhook {webhook} failed: {error}")
