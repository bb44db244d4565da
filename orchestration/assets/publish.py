"""The last step: publish the marts for analysts, atomically."""

import dagster as dg

from matching.publish import publish
from orchestration.resources import PasserellePaths


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=dg.AssetKey(["published", "passerelle"]),
        group_name="published",
        kinds={"duckdb", "parquet"},
        deps=mart_keys,
    )
    def published_marts(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
        """One copy of every mart for analysts: published/passerelle.duckdb (schema marts) and
        published/parquet/<table>.parquet, replaced atomically once every mart is built and tested.
        Source: the build warehouse, read-only."""
        tables = publish(paths.warehouse_path, paths.data_path / "published")
        context.log.info(f"Published {len(tables)} tables to {paths.data_path / 'published'}")
        return dg.MaterializeResult(
            metadata={
                "tables": dg.MetadataValue.json({table.name: table.rows for table in tables}),
                "path": dg.MetadataValue.path(str(paths.data_path / "published" / "passerelle.duckdb")),
            }
        )

    return published_marts
