"""One asset per raw table: parse the bundled source, land it in the raw zone, report counts."""

import dagster as dg

from ingestion.accounting import parse_counted
from ingestion.catalog import RAW_TABLES
from ingestion.landing import land
from ingestion.rules import quarantine_rule_failures
from ingestion.tables import RawTable
from orchestration.assets.offers import OFFERS_KEY
from orchestration.metadata import column_schema, markdown_preview, rows_read_metadata
from orchestration.resources import PasserellePaths

SNAPSHOT_PARTITION = "snapshot"


def build_raw_asset(raw_table: RawTable) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey([raw_table.source, raw_table.table]),
        group_name=raw_table.source,
        description=raw_table.description,
        kinds={"python", "parquet"},
        tags={"passerelle/layer": "raw"},
    )
    def _raw_asset(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
        # Rows breaking one of the table's row rules (a malformed code, a negative count) are set
        # aside here, with the rule and column in reject_reason; the blocking check sees the rest.
        parsed, rejected_per_rule = quarantine_rule_failures(
            parse_counted(raw_table, paths.snapshot_path), raw_table.rules
        )
        origin = "snapshot:" + ",".join(
            str(file.relative_to(paths.snapshot_path)) if file.is_relative_to(paths.snapshot_path) else str(file)
            for file in parsed.files
        )
        landed = land(
            paths.data_path,
            raw_table.source,
            raw_table.table,
            parsed,
            partition=SNAPSHOT_PARTITION,
            origin=origin,
            run_id=context.run_id,
        )
        if len(parsed.rejects):
            context.log.warning(
                f"{len(parsed.rejects)} rows of {raw_table.source}.{raw_table.table} quarantined; "
                f"first reason: {parsed.rejects['reject_reason'].iloc[0]}"
            )
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": dg.MetadataValue.int(landed.rows),
                **rows_read_metadata(parsed),
                "dagster/column_schema": dg.MetadataValue.table_schema(column_schema(parsed.rows)),
                "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
                "rows_quarantined_per_rule": dg.MetadataValue.json(rejected_per_rule),
                "files_read": dg.MetadataValue.json(
                    [{"file": file.name, "encoding": parsed.encodings.get(file.name)} for file in parsed.files]
                ),
                "path": dg.MetadataValue.path(str(landed.path)),
                "preview": markdown_preview(parsed.rows),
                **{f"note_{key}": dg.MetadataValue.text(str(value)) for key, value in parsed.notes.items()},
            }
        )

    return _raw_asset


# The job offers are partitioned by creation day, with a live mode: orchestration/assets/offers.py.
raw_assets: list[dg.AssetsDefinition] = [
    build_raw_asset(raw_table) for raw_table in RAW_TABLES if dg.AssetKey(list(raw_table.key)) != OFFERS_KEY
]
