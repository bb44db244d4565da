"""The dbt project as assets: one asset per model, dbt tests as asset checks.

The translator groups the models as the data flows: by layer and by the folder the model sits in
under dbt_project/models (``models/staging/rome/`` -> group ``staging_rome``, ``models/marts/
postings/`` -> ``marts_postings``), and tags each with its layer. Asset keys stay dagster-dbt's
defaults: ``[schema, model]`` for models, ``[source, table]`` for sources, so that every source
lands on the raw asset of the same name.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, dbt_assets

from orchestration.metadata import markdown_bar_chart, row_count_change
from orchestration.resources import PasserellePaths, dbt_project

LAYER_TAG = "passerelle/layer"
LAYERS = ("staging", "intermediate", "marts")

# The marts analysts open first: each shows the region's top 10 in its metadata. Every query
# returns (label, value) rows for region $region, largest first; counts exclude near duplicates.
MAIN_MART_TOP_10: dict[str, tuple[str, str]] = {
    "skill_demand": (
        "top 10 skills asked by the region's postings (all months)",
        """
        select skills.label, sum(demand.postings_with_skill) as postings
        from marts.skill_demand as demand join marts.skills as skills using (skill_code)
        where demand.territory_level = 'region' and demand.territory_code = $region
        group by skills.label order by postings desc, skills.label limit 10
        """,
    ),
    "job_postings": (
        "top 10 occupations of the region's postings",
        """
        select occupations.label, count(*) as postings
        from marts.job_postings as postings join marts.occupations as occupations using (rome_code)
        where postings.region_code = $region and postings.duplicate_of is null
        group by occupations.label order by postings desc, occupations.label limit 10
        """,
    ),
    "occupation_demand": (
        "top 10 occupations asked in the region (all months)",
        """
        select occupations.label, sum(demand.postings) as postings
        from marts.occupation_demand as demand join marts.occupations as occupations using (rome_code)
        where demand.territory_level = 'region' and demand.territory_code = $region
        group by occupations.label order by postings desc, occupations.label limit 10
        """,
    ),
    "hiring_needs": (
        "top 10 BMO métiers by hiring projects in the region (latest year)",
        """
        select bmo_metier_label, sum(projects) as projects
        from marts.hiring_needs
        where region_code = $region and year = (select max(year) from marts.hiring_needs)
        group by bmo_metier_label having sum(projects) is not null
        order by projects desc, bmo_metier_label limit 10
        """,
    ),
    "skill_gaps": (
        "top 10 skills by gap ratio in the region (postings asking / (trainings teaching + 1))",
        """
        select skills.label, gaps.gap_ratio
        from marts.skill_gaps as gaps join marts.skills as skills using (skill_code)
        where gaps.territory_level = 'region' and gaps.territory_code = $region
        order by gaps.gap_ratio desc, skills.label limit 10
        """,
    ),
}


def layer_of(dbt_resource_props: Mapping[str, Any]) -> str | None:
    """staging, intermediate or marts for a model (its first folder under models/), else None."""
    fqn = dbt_resource_props.get("fqn", [])
    if dbt_resource_props.get("resource_type") in ("model", "seed", "snapshot") and len(fqn) > 2:
        return fqn[1] if fqn[1] in LAYERS else None
    return None


class PasserelleDbtTranslator(DagsterDbtTranslator):
    """Groups by layer and area, a layer tag; keys and descriptions as dagster-dbt makes them."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        resource_type = dbt_resource_props.get("resource_type")
        if resource_type == "seed":
            return "reference"
        layer = layer_of(dbt_resource_props)
        if layer is None:
            return super().get_group_name(dbt_resource_props)
        fqn = dbt_resource_props["fqn"]
        # fqn = [project, layer, area, ..., model]: a model directly under the layer folder has no area.
        area = fqn[2] if len(fqn) > 3 else None
        return f"{layer}_{area}" if area else layer

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        tags = dict(super().get_tags(dbt_resource_props))
        layer = "reference" if dbt_resource_props.get("resource_type") == "seed" else layer_of(dbt_resource_props)
        if layer:
            tags[LAYER_TAG] = layer
        return tags


def _main_mart_metadata(
    context: dg.AssetExecutionContext,
    invocation: DbtCliInvocation,
    region: str,
    asset_key: dg.AssetKey,
    event: dg.Output | dg.AssetMaterialization,
) -> dict[str, dg.MetadataValue]:
    """The region's top 10 as a Markdown bar chart, and the row count against the previous run."""
    title, query = MAIN_MART_TOP_10[asset_key.path[-1]]
    metadata: dict[str, dg.MetadataValue] = {}
    # Through dbt's adapter, as fetch_row_counts does: with DuckDB, dagster-dbt hands the events
    # over once dbt has exited, and this process then holds the warehouse through that adapter.
    # The region is a validated 2-digit code (settings), safe to inline.
    with invocation.adapter.connection_named(f"top_10_{asset_key.path[-1]}"):
        _, table = invocation.adapter.execute(query.replace("$region", f"'{region}'"), fetch=True)
    rows = [tuple(row) for row in table.rows]
    metadata["region_top_10"] = markdown_bar_chart(f"{title}, region {region}", rows)
    current = event.metadata.get("dagster/row_count")
    previous_event = context.instance.get_latest_materialization_event(asset_key)
    previous = None
    if previous_event is not None and previous_event.asset_materialization is not None:
        previous = previous_event.asset_materialization.metadata.get("dagster/row_count")
    if current is not None:
        metadata.update(row_count_change(int(current.value), None if previous is None else int(previous.value)))
    return metadata


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    name="passerelle_dbt",
    dagster_dbt_translator=PasserelleDbtTranslator(),
)
def passerelle_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: PasserellePaths
) -> Iterator[object]:
    """Staging views, intermediate models and marts, built and tested by `dbt build`; each model's
    row count and column schema recorded with its materialization."""
    invocation = dbt.cli(["build"], context=context)
    try:
        for event in invocation.stream().fetch_row_counts().fetch_column_metadata(with_column_lineage=False):
            asset_key = _asset_key_of(context, event)
            if asset_key is not None and asset_key.path[0] == "marts" and asset_key.path[-1] in MAIN_MART_TOP_10:
                metadata = _main_mart_metadata(context, invocation, paths.region, asset_key, event)
                event = event.with_metadata({**event.metadata, **metadata})
            yield event
    finally:
        _release_warehouse(invocation)


def _release_warehouse(invocation: DbtCliInvocation) -> None:
    """Close the DuckDB file that dbt's adapter opened in this process for the metadata queries.

    Left open, it would lock the warehouse for the next steps (the next dbt subset, a Python
    asset reading it). dbt-duckdb keeps one shared environment per process, closed here.
    """
    if invocation.adapter is None:
        return
    invocation.adapter.cleanup_connections()
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV  # noqa: SLF001 (no public handle on it)
    DuckDBConnectionManager.close_all_connections()
    if environment is not None:
        environment.close()


def _asset_key_of(context: dg.AssetExecutionContext, event: object) -> dg.AssetKey | None:
    """The asset a dbt Output or materialization is about (None for checks and observations)."""
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    if isinstance(event, dg.Output):
        return context.asset_key_for_output(event.output_name)
    return None
