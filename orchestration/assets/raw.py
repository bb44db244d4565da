"""One asset per raw table: parse the bundled source, land it in the raw zone, report counts."""


import dagster as dg

from ingestion.catalog import RAW_TABLES
from ingestion.landing import land
from ingestion.tables import RawTable
from orchestration.metadata import column_schema, markdown_preview
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
        parsed = raw_table.parse(paths.snapshot_path)
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
                "dagster/column_schema": dg.MetadataValue.table_schema(column_schema(parsed.rows)),
                "rows_read": dg.MetadataValue.int(parsed.rows_read),
                "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
                "files_read": dg.MetadataValue.json(
                    [{"file": file.name, "encoding": parsed.encodings.get(file.name)} for file in parsed.files]
                ),
                "path": dg.MetadataValue.path(str(landed.path)),
                "preview": markdown_preview(parsed.rows),
                **{f"note_{key}": dg.MetadataValue.text(str(value)) for key, value in parsed.notes.items()},
            }
        )

    return _raw_asset


raw_assets: list[dg.AssetsDefinition] = [build_raw_asset(raw_table) for raw_table in RAW_TABLES]
