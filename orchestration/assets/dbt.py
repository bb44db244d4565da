"""The dbt project as assets: one asset per model, dbt tests as asset checks.

The translator groups the models as the data flows: by layer and by the folder the model sits in
under dbt_project/models (``models/staging/rome/`` -> group ``staging_rome``, ``models/marts/
postings/`` -> ``marts_postings``), and tags each with its layer. Asset keys stay dagster-dbt's
defaults: ``[schema, model]`` for models, ``[source, table]`` for sources, so that every source
lands on the raw asset of the same name.
"""

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource, dbt_assets, get_asset_key_for_model

from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
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


# The dbt project runs in three steps, one per stage of the data flow, so that each Python step
# reads models that one dbt invocation has finished: (1) everything built from the raw zone alone,
# (2) the models that read what the extraction, the training links and the candidates write,
# (3) the models that read the matches. The stages are dbt selections by lineage from the sources
# our Python steps write (models/staging/matching, candidates, programme), so a new model
# lands in its stage by what it reads. With one dbt multi-asset, Dagster splits it wherever a path
# leaves it and comes back: that gave 7 dbt invocations per run, each ~8 s of dbt start-up alone.
PYTHON_OUTPUT_SOURCES = ("source:matching", "source:candidates", "source:programme")
MATCHES_SOURCES = ("source:matching.posting_training_matches", "source:matching.posting_candidate_matches")


def _descendants(manifest: Mapping[str, Any], roots: set[str]) -> set[str]:
    """Every node downstream of the roots, tests included (manifest child_map)."""
    found: set[str] = set()
    pending = list(roots)
    while pending:
        for child in manifest["child_map"].get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _sources(manifest: Mapping[str, Any], selectors: tuple[str, ...]) -> set[str]:
    """unique_ids of the sources that `source:<source>` or `source:<source>.<table>` selectors name."""
    chosen = set()
    for unique_id, source in manifest["sources"].items():
        for selector in selectors:
            wanted = selector.removeprefix("source:").split(".")
            if wanted == [source["source_name"], source["name"]][: len(wanted)]:
                chosen.add(unique_id)
    return chosen


def _stage_boundary(manifest: Mapping[str, Any], selectors: tuple[str, ...]) -> str:
    """A dbt selection of everything from the stage the sources start onwards.

    That is the sources' descendants, plus the descendants of any model whose test reads one of
    them (a relationships test of marts.posting_texts reads marts.job_postings): a test runs in the
    step of the model it is attached to, so that model waits for the step that can run its test.
    """
    later = _descendants(manifest, _sources(manifest, selectors))
    held_back = {
        manifest["nodes"][unique_id]["attached_node"]
        for unique_id in later
        if unique_id.startswith("test.") and manifest["nodes"][unique_id].get("attached_node") not in (None, *later)
    }
    held_back_names = sorted(manifest["nodes"][unique_id]["name"] for unique_id in held_back)
    return " ".join(f"{name}+" for name in [*selectors, *held_back_names])


def _dbt_stages(manifest: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Step name: (dbt select, dbt exclude)."""
    python_outputs = _stage_boundary(manifest, PYTHON_OUTPUT_SOURCES)
    matches = _stage_boundary(manifest, MATCHES_SOURCES)
    return {
        "passerelle_dbt_warehouse": ("fqn:*", python_outputs),
        "passerelle_dbt_enriched": (python_outputs, matches),
        "passerelle_dbt_outcomes": (matches, ""),
    }


def _relation(node: Mapping[str, Any]) -> str:
    return f'"{node["schema"]}"."{node["alias"]}"'


def _is_table(node: Mapping[str, Any]) -> bool:
    return node["resource_type"] == "seed" or node["config"].get("materialized") in ("table", "incremental")


def _built_models_metadata(
    connection: duckdb.DuckDBPyConnection, nodes: list[Mapping[str, Any]]
) -> dict[str, dict[str, dg.MetadataValue]]:
    """Row count (tables) and column schema (every relation) of the models a dbt step built.

    Two queries for the whole step: the column types come from DuckDB's catalog, which holds
    those of views too (no view is run), the descriptions from the models' YAML. dagster-dbt's
    fetch_row_counts and fetch_column_metadata did the same with a query per model through a dbt
    adapter opened in this process (a DESCRIBE per view binds it, reading its Parquet files).
    """
    if not nodes:
        return {}
    by_relation = {(node["schema"], node["alias"]): node for node in nodes}
    relations_list = ", ".join(f"('{schema}', '{name}')" for schema, name in by_relation)
    metadata: dict[str, dict[str, dg.MetadataValue]] = {node["unique_id"]: {} for node in nodes}
    tables = [node for node in nodes if _is_table(node)]
    columns = connection.execute(
        f"""
        select schema_name, table_name, column_name, data_type, is_nullable
        from duckdb_columns()
        where database_name = current_database() and (schema_name, table_name) in ({relations_list})
        order by schema_name, table_name, column_index
        """
    ).fetchall()
    counts = (
        connection.execute(
            " union all ".join(f"select '{node['unique_id']}', count(*) from {_relation(node)}" for node in tables)
        ).fetchall()
        if tables
        else []
    )
    schemas: dict[str, list[dg.TableColumn]] = {}
    for schema, name, column, data_type, is_nullable in columns:
        node = by_relation[(schema, name)]
        described = node.get("columns", {}).get(column, {})
        schemas.setdefault(node["unique_id"], []).append(
            dg.TableColumn(
                name=column,
                type=data_type,
                description=described.get("description") or None,
                constraints=dg.TableColumnConstraints(nullable=bool(is_nullable)),
            )
        )
    for unique_id, table_columns in schemas.items():
        metadata[unique_id]["dagster/column_schema"] = dg.MetadataValue.table_schema(
            dg.TableSchema(columns=table_columns)
        )
    for unique_id, count in counts:
        metadata[unique_id]["dagster/row_count"] = dg.MetadataValue.int(int(count))
        metadata[unique_id]["dagster/storage_kind"] = dg.MetadataValue.text("duckdb")
    return metadata


def _main_mart_metadata(
    context: dg.AssetExecutionContext,
    connection: duckdb.DuckDBPyConnection,
    region: str,
    asset_key: dg.AssetKey,
    row_count: int | None,
) -> dict[str, dg.MetadataValue]:
    """The region's top 10 as a Markdown bar chart, and the row count against the previous run."""
    title, query = MAIN_MART_TOP_10[asset_key.path[-1]]
    metadata: dict[str, dg.MetadataValue] = {}
    rows = [tuple(row) for row in connection.execute(query, {"region": region}).fetchall()]
    metadata["region_top_10"] = markdown_bar_chart(f"{title}, region {region}", rows)
    previous_event = context.instance.get_latest_materialization_event(asset_key)
    previous = None
    if previous_event is not None and previous_event.asset_materialization is not None:
        previous = previous_event.asset_materialization.metadata.get("dagster/row_count")
    if row_count is not None:
        metadata.update(row_count_change(row_count, None if previous is None else int(previous.value)))
    return metadata


def _build_and_describe(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: PasserellePaths
) -> Iterator[object]:
    """`dbt build` of the step's selection, then every built model's row count and column schema.

    The events are held until dbt has exited (it holds the warehouse's write lock until then),
    described through one read-only connection, then yielded; a failed dbt build still reports
    what it built and its test results before the step fails.
    """
    invocation = dbt.cli(["build"], context=context)
    events: list[object] = []
    failure: Exception | None = None
    try:
        events.extend(invocation.stream())
    except Exception as error:  # noqa: BLE001 - raised again once the events that came are reported
        failure = error
    _keep_partial_parse_state(invocation)
    models = {
        index: invocation.manifest["nodes"][event.metadata["unique_id"].value]
        for index, event in enumerate(events)
        if isinstance(event, dg.Output | dg.AssetMaterialization) and "unique_id" in event.metadata
    }
    if models:
        with duckdb.connect(str(paths.warehouse_path), read_only=True) as connection:
            described = _built_models_metadata(connection, list(models.values()))
            for index, node in models.items():
                event = events[index]
                metadata = described[node["unique_id"]]
                asset_key = _asset_key_of(context, event)
                if asset_key is not None and asset_key.path[0] == "marts" and asset_key.path[-1] in MAIN_MART_TOP_10:
                    row_count = metadata.get("dagster/row_count")
                    count = None if row_count is None else int(row_count.value)  # type: ignore[arg-type]
                    metadata.update(_main_mart_metadata(context, connection, paths.region, asset_key, count))
                events[index] = event.with_metadata({**event.metadata, **metadata})  # type: ignore[union-attr]
    yield from events
    if failure is not None:
        raise failure


def _keep_partial_parse_state(invocation: DbtCliInvocation) -> None:
    """Make the project's partial-parse state the one this dbt command left behind.

    dagster-dbt starts every dbt command from a copy of target/partial_parse.msgpack, saved by
    `dbt parse` (`make manifest`). Saved under another environment (another data directory, as in
    the tests, or PASSERELLE_REGION unset), that state makes each dbt command re-parse the project
    (24 s instead of 8 s per command on a loaded machine). Saved back here, the next dbt steps
    start from the state of this run's environment; dbt still checks it before using it.
    """
    produced = Path(invocation.target_path) / "partial_parse.msgpack"
    if not produced.exists():
        return
    project_state = Path(invocation.project_dir) / "target" / "partial_parse.msgpack"
    scratch = project_state.with_name(f".partial_parse.{uuid.uuid4().hex}.msgpack")
    shutil.copy2(produced, scratch)
    os.replace(scratch, project_state)  # atomic: another dbt command may be copying it


def _dbt_stage(name: str, select: str, exclude: str) -> dg.AssetsDefinition:
    @dbt_assets(
        pool=WAREHOUSE_POOL,
        op_tags=WAREHOUSE_OP_TAGS,
        manifest=dbt_project.manifest_path,
        project=dbt_project,
        name=name,
        select=select,
        exclude=exclude or None,
        dagster_dbt_translator=PasserelleDbtTranslator(),
    )
    def stage(context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: PasserellePaths) -> Iterator[object]:
        """Staging views, intermediate tables and marts of one stage of the data flow, built and
        tested by `dbt build`; each model's row count and column schema recorded with it."""
        yield from _build_and_describe(context, dbt, paths)

    return stage


# The dbt project's models as assets and its tests as asset checks, in three steps (_dbt_stages).
passerelle_dbt_stages: list[dg.AssetsDefinition] = [
    _dbt_stage(name, select, exclude)
    for name, (select, exclude) in _dbt_stages(json.loads(dbt_project.manifest_path.read_text())).items()
]
dbt_asset_keys: list[dg.AssetKey] = [key for stage in passerelle_dbt_stages for key in stage.keys]


def dbt_model_keys(*model_names: str) -> list[dg.AssetKey]:
    """The asset keys of dbt models, read from the manifest by name: a Python step declares the
    models it reads with these, so that a renamed or removed model fails when the definitions
    load (a KeyError naming the model), not when the step runs. dagster-dbt takes one dbt
    definition and looks the name up in its whole manifest, which the three steps share."""
    return [get_asset_key_for_model(passerelle_dbt_stages[:1], name) for name in model_names]


def _asset_key_of(context: dg.AssetExecutionContext, event: object) -> dg.AssetKey | None:
    """The asset a dbt Output or materialization is about (None for checks and observations)."""
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key
    if isinstance(event, dg.Output):
        return context.asset_key_for_output(event.output_name)
    return None
