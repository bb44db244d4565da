"""`passerelle run`: materialize every asset once, in process, then say what was built."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

import dagster as dg
import duckdb
from dagster._core.events import DagsterEventType

from orchestration.settings import Settings


def _instance() -> dg.DagsterInstance:
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    # No DAGSTER_HOME: the run still happens, but the UI will not list it.
    return dg.DagsterInstance.ephemeral()


class ProgressPrinter(logging.Handler):
    """One terminal line per materialized asset (n of N, elapsed, rows, asset) and per failed step.

    It reads the Dagster events each log record carries; every message itself (dbt's selection
    lists and chatter included) stays in the run's event log, which the UI shows.
    """

    def __init__(self, total_assets: int | None, stream: TextIO) -> None:
        super().__init__(level=logging.DEBUG)
        self.total_assets = total_assets
        self.stream = stream
        self.materialized = 0
        self.failed_checks = 0
        self.started = time.monotonic()
        self.step_started: dict[str, float] = {}

    def _print(self, text: str) -> None:
        print(f"{time.monotonic() - self.started:7.1f} s  {text}", file=self.stream, flush=True)

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, "dagster_meta", None) or {}).get("dagster_event")
        if event is None:
            return
        if event.event_type == DagsterEventType.STEP_START and event.step_key:
            self.step_started[event.step_key] = time.monotonic()
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            materialization = event.event_specific_data.materialization
            self.materialized += 1
            row_count = materialization.metadata.get("dagster/row_count")
            rows = f"{int(row_count.value):>10,} rows" if row_count is not None else " " * 15
            step_seconds = time.monotonic() - self.step_started.get(event.step_key or "", self.started)
            partition = f" {materialization.partition}" if materialization.partition else ""
            of_total = f" of {self.total_assets}" if self.total_assets is not None else ""
            self._print(
                f"[{self.materialized:>3}{of_total}] {rows}  "
                f"{materialization.asset_key.to_user_string()}{partition} (step {step_seconds:.1f} s)"
            )
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                self.failed_checks += 1
                self._print(f"check failed: {evaluation.asset_check_key.to_user_string()}")
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:  # the user code's own error
                error = error.cause
            first_line = (error.message.strip().splitlines() or [""])[0][:300] if error else ""
            self._print(f"step FAILED: {event.step_key}: {first_line} (details in the run's event log)")


@contextmanager
def _terminal_only_for_people() -> Iterator[TextIO]:
    """Yield a stream on the terminal while file descriptor 1 points to /dev/null.

    dagster-dbt re-prints dbt's whole output on stdout so that the run's captured logs hold it
    (the UI shows them with the run); Dagster's capture then echoes them to the terminal. With
    stdout on /dev/null the captured logs stay complete and the terminal keeps only our lines
    and, on stderr, warnings and errors.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    terminal = os.fdopen(os.dup(saved), "w", buffering=1)
    try:
        yield terminal
    finally:
        terminal.flush()
        os.dup2(saved, 1)
        for descriptor in (saved, devnull):
            os.close(descriptor)
        terminal.close()


def run_all(settings: Settings, offer_days: tuple[date, date] | None = None) -> bool:
    """The nightly refresh, in process: the offers' days in one run, then every other asset.

    ``offer_days``: the first and last creation day to land, instead of the nightly range.
    """
    from orchestration.definitions import defs
    from orchestration.schedules import offer_days_to_refresh, partition_range_tags

    if offer_days is not None:
        first, last = (day.isoformat() for day in offer_days)
    else:
        first, last = offer_days_to_refresh(
            settings.offers_source, settings.snapshot_dir, settings.data_dir, datetime.now(UTC).date()
        )
    with _terminal_only_for_people() as terminal:
        # One materialization per creation day that has offers: how many is known only at the end.
        offers_job = defs.resolve_job_def("france_travail_offers")
        offers = _execute(offers_job, terminal, partition_range_tags(first, last), one_per_asset=False)
        if not offers.success:
            return False
        result = _execute(defs.resolve_job_def("refresh_all"), terminal)
        print(check_report(result.get_asset_check_evaluations()), file=terminal)
    return result.success


def _execute(
    job: dg.JobDefinition,
    stream: TextIO,
    tags: dict[str, str] | None = None,
    one_per_asset: bool = True,
) -> dg.ExecuteInProcessResult:
    """Run ``job`` in process, one progress line per materialization (counted against the job's
    assets when ``one_per_asset``, not for a run over partitions)."""
    total = len(job.asset_layer.executable_asset_keys) if one_per_asset else None
    printer = ProgressPrinter(total, stream)

    @dg.logger(description="progress lines of `passerelle run`")
    def progress(_init_context: dg.InitLoggerContext) -> logging.Logger:
        progress_logger = logging.Logger("passerelle.progress", level=logging.DEBUG)
        progress_logger.addHandler(printer)
        return progress_logger

    job = job.with_logger_defs({"console": dg.colored_console_logger, "progress": progress})
    with _instance() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags=tags,
            # The terminal is for people: warnings and errors, plus one progress line per asset.
            # Every event and dbt's own output stay in the run's event log (and the UI).
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}, "progress": {}}},
        )
    materialized = (
        f"{printer.materialized} of {printer.total_assets} assets materialized"
        if one_per_asset
        else f"{printer.materialized} partitions materialized"
    )
    print(
        f"{job.name}: {materialized}, {printer.failed_checks} failed checks; run {result.run_id}",
        file=stream,
    )
    return result


def check_report(evaluations: list[dg.AssetCheckEvaluation]) -> str:
    """One line of counts, then one line per failed check with its description."""
    failed = [evaluation for evaluation in evaluations if not evaluation.passed]
    lines = [f"asset checks: {len(evaluations) - len(failed)} passed, {len(failed)} failed"]
    for evaluation in failed:
        key = evaluation.asset_check_key
        blocking = " (blocking: assets downstream were not built)" if evaluation.blocking else ""
        lines.append(
            f"  FAILED {key.asset_key.to_user_string()}:{key.name}{blocking}: {evaluation.description or ''}"[:600]
        )
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
    run = commands.add_parser("run", help="materialize every asset on the configured sources")
    run.add_argument(
        "--offer-days",
        nargs=2,
        metavar=("FIRST", "LAST"),
        type=date.fromisoformat,
        help="land the offers created from FIRST to LAST (YYYY-MM-DD) instead of the nightly range "
        "(live: yesterday and the 6 days before; snapshot: every bundled day)",
    )
    commands.add_parser("summary", help="print what the last run built")
    arguments = parser.parse_args(argv)
    settings = Settings.from_environment()
    if arguments.command == "run":
        started = time.monotonic()
        if arguments.offer_days and arguments.offer_days[0] > arguments.offer_days[1]:
            parser.error(f"--offer-days: {arguments.offer_days[0]} is after {arguments.offer_days[1]}")
        succeeded = run_all(settings, tuple(arguments.offer_days) if arguments.offer_days else None)
        print(summarize(settings.data_dir))
        print(f"run {'succeeded' if succeeded else 'FAILED'} in {time.monotonic() - started:.1f} s")
        return 0 if succeeded else 1
    print(summarize(settings.data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
