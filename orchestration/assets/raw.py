"""One asset per raw table: parse its source files, land them in the raw zone, report counts.

The files are the bundled snapshot's, or, with PASSERELLE_OPEN_DATA_SOURCE=download, the latest
download of the folders ``ingestion.downloads`` refreshes (the bundled copy for the others).
A table whose source folders and parsing code have not changed since it landed is not parsed
again (``ingestion.landing.landed_unchanged``): its landed partition is reported as it stands, and
its quality check runs on it as on a new one.
"""

from collections.abc import Mapping, Sequence

import dagster as dg
import pandas as pd

from ingestion.accounting import parse_counted
from ingestion.downloads import described_origin
from ingestion.landing import INGESTED_AT, PARQUET_NAME, LandedPartition, land, landed_unchanged
from ingestion.rules import quarantine_rule_failures
from ingestion.tables import RawTable
from orchestration.assets.offers import OFFERS_KEY
from orchestration.metadata import column_schema, markdown_preview, rows_read_metadata
from orchestration.resources import OpenDataSources, PasserellePaths

SNAPSHOT_PARTITION = "snapshot"


def build_raw_asset(raw_table: RawTable, downloads: Sequence[dg.AssetKey] = ()) -> dg.AssetsDefinition:
    """``downloads``: the download assets refreshing the folders this table is parsed from."""

    @dg.asset(
        key=dg.AssetKey([raw_table.source, raw_table.table]),
        deps=list(downloads),
        group_name=raw_table.source,
        description=raw_table.description,
        kinds={"python", "parquet"},
        tags={"passerelle/layer": "raw"},
    )
    def _raw_asset(
        context: dg.AssetExecutionContext, paths: PasserellePaths, open_data: OpenDataSources
    ) -> dg.MaterializeResult:
        source_path = open_data.source_path(paths)
        unchanged = landed_unchanged(
            paths.data_path, raw_table.source, raw_table.table, SNAPSHOT_PARTITION, source_path
        )
        if unchanged is not None:
            return _unchanged_result(context, unchanged)
        # Rows breaking one of the table's row rules (a malformed code, a negative count) are set
        # aside here, with the rule and column in reject_reason; the blocking check sees the rest.
        parsed, rejected_per_rule = quarantine_rule_failures(parse_counted(raw_table, source_path), raw_table.rules)
        relative = [
            file.relative_to(source_path) if file.is_relative_to(source_path) else file for file in parsed.files
        ]
        origin = "snapshot:" + ",".join(str(file) for file in relative)
        if open_data.downloading or open_data.live_france_travail:
            # Which files came from a download, with their URL and sha256, for the manifest.
            downloaded = {
                folder: described_origin(paths.data_path, folder) for folder in {file.parts[0] for file in relative}
            }
            origin = (
                "sources:"
                + ",".join(str(file) for file in relative)
                + "".join(
                    f" | {folder} downloaded: {described}"
                    for folder, described in sorted(downloaded.items())
                    if described
                )
            )
        landed = land(
            paths.data_path,
            raw_table.source,
            raw_table.table,
            parsed,
            partition=SNAPSHOT_PARTITION,
            origin=origin,
            run_id=context.run_id,
            source_path=source_path,
        )
        if len(parsed.rejects):
            context.log.warning(
                f"{len(parsed.rejects)} rows of {raw_table.source}.{raw_table.table} quarantined; "
                f"first reason: {parsed.rejects['reject_reason'].iloc[0]}"
            )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": dg.MetadataValue.int(landed.rows),
                **rows_read_metadata(parsed.records_read, parsed.counted_as),
                "dagster/column_schema": dg.MetadataValue.table_schema(column_schema(parsed.rows)),
                "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
                "rows_quarantined_per_rule": dg.MetadataValue.json(rejected_per_rule),
                "files_read": dg.MetadataValue.json(
                    [{"file": file.name, "encoding": parsed.encodings.get(file.name)} for file in parsed.files]
                ),
                "path": dg.MetadataValue.path(str(landed.path)),
                "preview": markdown_preview(parsed.rows),
                "landed_in_run": dg.MetadataValue.text(context.run_id),
                **{f"note_{key}": dg.MetadataValue.text(str(value)) for key, value in parsed.notes.items()},
            }
        )

    return _raw_asset


def _unchanged_result(context: dg.AssetExecutionContext, landed: LandedPartition) -> dg.MaterializeResult:
    """The materialization of a table not landed again: its partition's figures, as they stand."""
    manifest = landed.manifest
    rows = pd.read_parquet(landed.path / PARQUET_NAME)
    context.log.info(
        f"{manifest['source']}.{manifest['table']}: source files and parsing code unchanged since run "
        f"{manifest.get('run_id')}; the {landed.rows} rows landed then stand"
    )
    rows_read = manifest.get("rows_read")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(landed.rows),
            **rows_read_metadata(
                int(rows_read) if rows_read is not None else None,  # type: ignore[call-overload]
                str(manifest.get("rows_read_counted_as") or ""),
            ),
            "dagster/column_schema": dg.MetadataValue.table_schema(column_schema(rows.drop(columns=[INGESTED_AT]))),
            "rows_quarantined": dg.MetadataValue.int(int(manifest["rows_quarantined"])),  # type: ignore[arg-type]
            "files_read": dg.MetadataValue.json(
                [{"file": file["name"], "encoding": file.get("encoding")} for file in manifest["source_files"]]  # type: ignore[union-attr,index]
            ),
            "path": dg.MetadataValue.path(str(landed.path)),
            "preview": markdown_preview(rows),
            "landed_in_run": dg.MetadataValue.text(str(manifest.get("run_id"))),
        }
    )


def build_raw_assets(
    raw_tables: Sequence[RawTable], downloads_by_table: Mapping[str, Sequence[dg.AssetKey]]
) -> list[dg.AssetsDefinition]:
    """One asset per raw table but the job offers (partitioned by day, with a live mode:
    orchestration/assets/offers.py). ``downloads_by_table`` (empty unless downloading) maps a
    source, or a "source/table", to the downloads its files come from."""
    return [
        build_raw_asset(
            raw_table,
            [
                *downloads_by_table.get(raw_table.source, ()),
                *downloads_by_table.get(f"{raw_table.source}/{raw_table.table}", ()),
            ],
        )
        for raw_table in raw_tables
        if dg.AssetKey(list(raw_table.key)) != OFFERS_KEY
    ]
