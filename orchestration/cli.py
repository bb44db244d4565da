"""`passerelle run`: materialize every asset once, in process, then say what was built."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.settings import Settings


def _instance() -> dg.DagsterInstance:
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    # No DAGSTER_HOME: the run still happens, but the UI will not list it.
    return dg.DagsterInstance.ephemeral()


def run_all(settings: Settings) -> bool:
    """The nightly refresh, in process: the offers' days in one run, then every other asset."""
    from orchestration.definitions import defs
    from orchestration.schedules import offer_days_to_refresh, partition_range_tags

    first, last = offer_days_to_refresh(settings.offers_source, settings.snapshot_dir, datetime.now(UTC).date())
    # Step-level DEBUG events stay in the run's event log (and the UI); the terminal gets INFO.
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    with _instance() as instance:
        offers = defs.resolve_job_def("france_travail_offers").execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config, tags=partition_range_tags(first, last)
        )
        if not offers.success:
            return False
        result = defs.resolve_job_def("refresh_all").execute_in_process(
            instance=instance, raise_on_error=False, run_config=run_config
        )
    print(check_report(result.get_asset_check_evaluations()))
    return result.success


def check_report(evaluations: list[dg.AssetCheckEvaluation]) -> str:
    """One line of counts, then one line per failed check with its description."""
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    lines = [f"asset checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed"]
    for evaluation in failed:
        key = evaluation.asset_check_key
        blocking = " (blocking: assets downstream were not built)" if evaluation.blocking else ""
        lines.append(f"  FAILED {key.asset_key.to_user_string()}:{key.name}{blocking}: {evaluation.description or ''}"[:600])
    return "\n".join(lines)


def summarize(data_dir: Path) -> str:
    """Row counts of the raw zone (from manifests) and of every warehouse relation."""
    lines = [f"data directory: {data_dir}"]
    manifests = sorted((data_dir / "raw").glob("*/*/*/_manifest.json"))
    raw_rows = quarantined = 0
    for manifest_path in manifests:
        manifest = json.loads(manifest_path.read_text())
        raw_rows += int(manifest["rows"])
        quarantined += int(manifest.get("rows_quarantined", 0))
    lines.append(f"raw zone: {len(manifests)} partitions, {raw_rows:,} rows, {quarantined:,} quarantined")
    warehouse = data_dir / "warehouse.duckdb"
    if warehouse.exists():
        lines.append(f"warehouse: {warehouse}")
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            relations = connection.execute(
                "select table_schema, table_name, table_type from information_schema.tables "
                "where table_schema not in ('information_schema', 'pg_catalog') order by 1, 2"
            ).fetchall()
            for schema, name, kind in relations:
                count = connection.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
                rows = count[0] if count else 0
                lines.append(f"  {schema}.{name:<45} {kind.lower():<10} {rows:>10,} rows")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="passerelle", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="materialize every asset on the configured sources")
    commands.add_parser("summary", help="print what the last run built")
    arguments = parser.parse_args(argv)
    settings = Settings.from_environment()
    if arguments.command == "run":
        started = time.monotonic()
        succeeded = run_all(settings)
        print(summarize(settings.data_dir))
        print(f"run {'succeeded' if succeeded else 'FAILED'} in {time.monotonic() - started:.1f} s")
        return 0 if succeeded else 1
    print(summarize(settings.data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
