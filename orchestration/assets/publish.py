"""The last step: publish the marts for analysts, atomically."""

import shutil
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from matching.publish import publish
from matching.report import write_report
from orchestration.resources import PasserellePaths

PUBLISHED = dg.AssetKey(["published", "passerelle"])


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=PUBLISHED,
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


@dg.asset(key=dg.AssetKey(["published", "dbt_docs"]), group_name="published", kinds={"dbt", "html"}, deps=[PUBLISHED])
def published_dbt_docs(context: dg.AssetExecutionContext, paths: PasserellePaths, dbt: DbtCliResource) -> dg.MaterializeResult:
    """published/docs/: the dbt docs site (every model, column description and lineage, with the
    warehouse's catalog), from `dbt docs generate --static`. `make docs` serves it;
    static_index.html also opens from disk. Source: the dbt project and the build warehouse."""
    invocation = dbt.cli(["docs", "generate", "--static"], raise_on_error=True)
    invocation.wait()
    target = Path(invocation.target_path)
    published_docs = paths.data_path / "published" / "docs"
    scratch = paths.data_path / "published" / f".docs.{context.run_id}"
    scratch.mkdir(parents=True)
    for name in DOCS_FILES:
        shutil.copy2(target / name, scratch / name)
    if published_docs.exists():
        shutil.rmtree(published_docs)
    scratch.rename(published_docs)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published_docs / "index.html")),
            "files": dg.MetadataValue.json({name: (published_docs / name).stat().st_size for name in DOCS_FILES}),
        }
    )
