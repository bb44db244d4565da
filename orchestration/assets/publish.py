"""The last steps: publish the marts for analysts and copy the operator tables for advisers."""

import dagster as dg

from matching.audience import ANALYSTS_SCHEMA, OPERATOR_SCHEMA, assert_publishable
from matching.publish import publish
from matching.secrecy import suppression_counts
from orchestration.resources import PasserellePaths

OPERATOR_FOLDER = "operator"


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["published", "passerelle"]),
        group_name="published",
        kinds={"duckdb", "parquet"},
        deps=mart_keys,
    )
    def published_marts(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
        """One copy of every mart of schema marts for analysts: published/passerelle.duckdb (schema
        marts) and published/parquet/<table>.parquet, replaced atomically once every mart is built
        and tested. Aggregates only: a table with a column about one person stops the step
        (matching.audience); the operator tables of schema private are never copied here. Source:
        the build warehouse, read-only."""
        assert_publishable(paths.warehouse_path, ANALYSTS_SCHEMA)
        tables = publish(paths.warehouse_path, paths.data_path / "published", schema=ANALYSTS_SCHEMA)
        context.log.info(f"Published {len(tables)} tables to {paths.data_path / 'published'}")
        secrecy = suppression_counts(paths.warehouse_path)
        context.log.info(f"Statistical secrecy, cells suppressed by rule: {secrecy}")
        return dg.MaterializeResult(
            metadata={
                "tables": dg.MetadataValue.json({table.name: table.rows for table in tables}),
                "path": dg.MetadataValue.path(str(paths.data_path / "published" / "passerelle.duckdb")),
                "cells_suppressed_by_rule": dg.MetadataValue.json(secrecy),
            }
        )

    return published_marts


def build_operator_asset(private_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["operator", "passerelle"]),
        group_name="private",
        kinds={"duckdb", "parquet"},
        deps=private_keys,
    )
    def operator_tables(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
        """The operator's copy of schema private (one row per jobseeker and posting: the candidate
        matches), for the advisers who act on them: private/operator/passerelle.duckdb (schema
        private) and private/operator/parquet/<table>.parquet, replaced atomically. Never
        published; only table names and row counts reach the run metadata. Source: the build
        warehouse, read-only."""
        target = paths.private_path / OPERATOR_FOLDER
        tables = publish(paths.warehouse_path, target, schema=OPERATOR_SCHEMA)
        context.log.info(f"Copied {len(tables)} operator tables to {target} (private, not published)")
        return dg.MaterializeResult(
            metadata={
                "tables": dg.MetadataValue.json({table.name: table.rows for table in tables}),
                "path": dg.MetadataValue.path(str(target / "passerelle.duckdb")),
            }
        )

    return operator_tables
