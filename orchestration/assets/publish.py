"""The last steps: publish the marts for analysts and copy the operator tables for advisers."""

import shutil

import dagster as dg
from dagster_dbt import DbtCliResource

from ingestion.landing import replace_directory
from matching.audience import ANALYSTS_SCHEMA, OPERATOR_SCHEMA, assert_publishable
from matching.report import write_report
from matching.secrecy import suppression_counts
from orchestration.assets.dbt import dbt_model_keys
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.resources import PasserellePaths, dbt_project
from publishing.publish import publish

OPERATOR_FOLDER = "operator"
PUBLISHED = dg.AssetKey(["published", "passerelle"])


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        pool=WAREHOUSE_POOL,
        op_tags=WAREHOUSE_OP_TAGS,
        key=PUBLISHED,
        group_name="published",
        kinds={"duckdb", "parquet"},
        # The marts it copies, and the protected indicators whose suppressions it counts.
        deps=[*mart_keys, *dbt_model_keys("int_outcome_indicators_protected")],
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
        pool=WAREHOUSE_POOL,
        op_tags=WAREHOUSE_OP_TAGS,
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


@dg.asset(key=dg.AssetKey(["published", "report"]), group_name="published", kinds={"html", "plotly"}, deps=[PUBLISHED])
def published_report(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    """published/report.html: one self-contained page of charts for the configured region (skill
    demand over time, top skills and occupations by territory, hardest-to-fill métiers, skill-gap
    index, matching funnel, employment after training, women in digital jobs). Source: the
    published copy only (aggregates; statistical secrecy as published); opens with no network."""
    report, charts = write_report(paths.data_path / "published", paths.region)
    context.log.info(f"Report with {len(charts)} charts written to {report}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(report)),
            "bytes": dg.MetadataValue.int(report.stat().st_size),
            "charts": dg.MetadataValue.md(
                "\n".join(f"- {chart.title}: {chart.points} points ({chart.period})" for chart in charts)
            ),
        }
    )


DOCS_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")


@dg.asset(
    key=dg.AssetKey(["published", "dbt_docs"]),
    group_name="published",
    kinds={"dbt", "html"},
    deps=[PUBLISHED],
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
)
def published_dbt_docs(
    context: dg.AssetExecutionContext, paths: PasserellePaths, dbt: DbtCliResource
) -> dg.MaterializeResult:
    """published/docs/: the dbt docs site (every model, column description and lineage, with the
    warehouse's catalog), from `dbt docs generate --static`. `make docs` serves it;
    static_index.html also opens from disk. Source: the dbt project and the build warehouse."""
    # --no-compile: the site shows each model's SQL as written, not compiled again here (compiling
    # the ~650 models and tests took most of this step's ~30 s). The manifest is the one the
    # Dagster definitions and the run's dbt steps use; dbt writes none without compiling.
    target = dbt_project.project_dir / "target" / f"published_dbt_docs-{context.run_id}"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(dbt_project.manifest_path, target / "manifest.json")
    invocation = dbt.cli(["docs", "generate", "--static", "--no-compile"], raise_on_error=True, target_path=target)
    invocation.wait()
    published_docs = paths.data_path / "published" / "docs"
    scratch = paths.data_path / "published" / f".docs.{context.run_id}"
    scratch.mkdir(parents=True)
    for name in DOCS_FILES:
        shutil.copy2(target / name, scratch / name)
    replace_directory(scratch, published_docs)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published_docs / "index.html")),
            "files": dg.MetadataValue.json({name: (published_docs / name).stat().st_size for name in DOCS_FILES}),
        }
    )
