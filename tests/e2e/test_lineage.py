"""True lineage: every Python step reads exactly the warehouse tables its asset declares.

Each Python asset that runs after the raw zone is materialized on its own, in order, against the
shared build's warehouse (through a data directory of its own, so the shared build is never
written). DuckDB itself records what each step queries: every statement a step sends to a
connection on the warehouse (or to a connection that attaches it) is read by DuckDB's parser
(``get_table_names``), and the tables of the warehouse schemas it names are compared with the
asset's declared dependencies. A step that reads an undeclared table, or declares one it does not
read, fails here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.e2e

WAREHOUSE_SCHEMAS = ("staging", "intermediate", "marts", "private")
_PARAMETER = re.compile(r"\?|\$\w+")
_CREATE_AS = re.compile(r"^\s*create\b.*?\bas\s+(\(?\s*(?:select|with|from)\b.*)$", re.IGNORECASE | re.DOTALL)
_QUERY = re.compile(r"^\s*(?:--[^\n]*\n\s*)*\(?\s*(?:select|with|from)\b", re.IGNORECASE)
# A connection of its own that only parses (before duckdb.connect is patched).
_PARSER = duckdb.connect()
_ATTACH = re.compile(r"^\s*attach\b.*\bas\s+(\w+)", re.IGNORECASE | re.DOTALL)


def tables_named(query: str) -> set[tuple[str, str, str]]:
    """(catalog, schema, table) of every table a statement names, from DuckDB's parser alone
    (json_serialize_sql: nothing is bound, so CTE names come out without a schema). A
    `create ... as <query>` is read through its query; other statements that are no query
    (attach, checkpoint, create schema, copy) name no table to read."""
    statement = _PARAMETER.sub("null", query)
    created = _CREATE_AS.match(statement)
    if created:
        statement = created.group(1)
    elif not _QUERY.match(statement):
        return set()
    with _PARSER.cursor() as parser:
        tree = json.loads(parser.execute("select json_serialize_sql(?)", [statement]).fetchone()[0])
    if tree.get("error"):
        raise ValueError(f"DuckDB could not parse a step's query: {tree.get('error_message')}\n{statement}")
    found: set[tuple[str, str, str]] = set()
    pending: list[object] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                found.add(
                    (
                        node.get("catalog_name", "").lower(),
                        node.get("schema_name", "").lower(),
                        node["table_name"].lower(),
                    )
                )
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


class RecordingConnection:
    """A real DuckDB connection that notes the warehouse tables named by each statement it runs."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, on_warehouse: bool, warehouse_names: set[str], read: set[str]
    ) -> None:
        self._connection = connection
        self._on_warehouse = on_warehouse
        self._warehouse_names = warehouse_names  # the warehouse file's path, as given and resolved
        self._read = read
        self._aliases: set[str] = set()

    def _record(self, query: object, parameters: object = None) -> None:
        if not isinstance(query, str):
            return
        attach = _ATTACH.match(query)
        if attach:
            named = [str(value) for value in (parameters or [])] + [query]
            if any(name in text for name in self._warehouse_names for text in named):
                self._aliases.add(attach.group(1).lower())
            return
        for catalog, schema, _table in tables_named(query):
            in_warehouse = (not catalog and self._on_warehouse) or catalog in self._aliases
            if in_warehouse and schema in WAREHOUSE_SCHEMAS:
                self._read.add(f"{schema}.{_table}")

    def execute(self, query: object, parameters: object = None, *args: Any, **kwargs: Any) -> Any:
        self._record(query, parameters)
        if parameters is None:
            return self._connection.execute(query, *args, **kwargs)
        return self._connection.execute(query, parameters, *args, **kwargs)

    def sql(self, query: object, *args: Any, **kwargs: Any) -> Any:
        self._record(query)
        return self._connection.sql(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    def __enter__(self) -> RecordingConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self._connection.close()


@pytest.fixture(scope="module")
def step_data_dir(built_pipeline: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose warehouse is the shared build's (read-only), where the steps write."""
    built, _ = built_pipeline
    data_dir = tmp_path_factory.mktemp("lineage_data")
    (data_dir / "warehouse.duckdb").symlink_to(built / "warehouse.duckdb")
    shutil.copytree(built / "private", data_dir / "private")
    return data_dir


def _python_assets() -> list[dg.AssetsDefinition]:
    """The Python steps after the raw zone, in run order (the assets as their modules define them)."""
    from orchestration.assets.candidates import candidate_profiles
    from orchestration.assets.matching import (
        extracted_posting_skills,
        posting_candidate_matches,
        posting_training_matches,
    )
    from orchestration.assets.programme import programme_participants
    from orchestration.assets.publish import build_operator_asset, build_publish_asset, published_report
    from orchestration.assets.training import training_supply_coverage, training_text_links
    from orchestration.definitions import mart_keys, private_keys

    return [
        candidate_profiles,
        programme_participants,
        extracted_posting_skills,
        training_text_links,
        training_supply_coverage,
        posting_training_matches,
        posting_candidate_matches,
        build_publish_asset(mart_keys),
        build_operator_asset(private_keys),
        published_report,
    ]


def _declared(assets_def: dg.AssetsDefinition) -> set[str]:
    return {
        f"{dep.asset_key.path[0]}.{dep.asset_key.path[-1]}"
        for spec in assets_def.specs
        for dep in spec.deps
        if dep.asset_key.path[0] in WAREHOUSE_SCHEMAS
    }


@pytest.fixture(scope="module")
def tables_read(step_data_dir: Path, snapshot_dir: Path) -> Iterator[dict[str, tuple[set[str], set[str]]]]:
    """Asset name: (tables its step queried, tables it declares), each step materialized alone."""
    from orchestration.resources import PasserellePaths

    warehouse = step_data_dir / "warehouse.duckdb"
    names = {str(warehouse), str(warehouse.resolve())}
    real_connect = duckdb.connect
    read: set[str] = set()

    def recording_connect(database: object = ":memory:", *args: Any, **kwargs: Any) -> RecordingConnection:
        connection = real_connect(database, *args, **kwargs)
        on_warehouse = isinstance(database, str | Path) and Path(database).resolve() == warehouse.resolve()
        return RecordingConnection(connection, on_warehouse, names, read)

    paths = PasserellePaths(data_dir=str(step_data_dir), snapshot_dir=str(snapshot_dir), region="44")
    found: dict[str, tuple[set[str], set[str]]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duckdb, "connect", recording_connect)
        for assets_def in _python_assets():
            read.clear()
            result = dg.materialize([assets_def], resources={"paths": paths}, raise_on_error=False)
            assert result.success, f"{assets_def.node_def.name} failed"
            found[assets_def.node_def.name] = (set(read), _declared(assets_def))
    yield found


def test_every_python_step_is_checked(dbt_manifest: Path) -> None:
    """Every asset of the definitions is a raw landing, a dbt model, the dbt docs, or a step checked here."""
    from ingestion.catalog import RAW_TABLES
    from orchestration.assets.dbt import dbt_asset_keys
    from orchestration.assets.offers import OFFERS_KEY
    from orchestration.definitions import defs

    checked = {key for assets_def in _python_assets() for key in assets_def.keys}
    landings = {dg.AssetKey([table.source, table.table]) for table in RAW_TABLES} | {OFFERS_KEY}
    others = {dg.AssetKey(["published", "dbt_docs"])}  # dbt reads the catalog itself, through its adapter
    graph = defs.resolve_asset_graph()
    # Sources that no step materializes (dbt's raw_zone.manifests reads the landing manifests) are left out.
    every = {key for key in graph.get_all_asset_keys() if graph.get(key).is_materializable}
    assert every - set(dbt_asset_keys) - landings - others == checked


def test_every_python_step_reads_exactly_what_it_declares(tables_read: dict[str, tuple[set[str], set[str]]]) -> None:
    mismatches = {
        name: {"read, not declared": sorted(read - declared), "declared, not read": sorted(declared - read)}
        for name, (read, declared) in tables_read.items()
        if read != declared
    }
    assert not mismatches, mismatches
    # The extractor's inputs are in its graph: ROME items, ESCO labels, labelled offers.
    read, _ = tables_read["extracted_posting_skills"]
    assert {
        "staging.stg_rome__items",
        "intermediate.int_skill_esco_labels_bridged",
        "intermediate.int_posting_skills_structured",
    } <= read


def test_an_undeclared_read_is_caught(step_data_dir: Path) -> None:
    """The recorder sees a table named in a join, a subquery and a CTE, and nothing else."""
    warehouse = step_data_dir / "warehouse.duckdb"
    read: set[str] = set()
    with duckdb.connect(str(warehouse), read_only=True) as raw:
        connection = RecordingConnection(raw, True, warehouse.resolve(), read)
        connection.execute(
            """
            with kept as (select posting_id from intermediate.int_job_postings_deduplicated)
            select count(*) from marts.job_postings join kept using (posting_id)
            where rome_code in (select rome_code from staging.stg_rome__occupations)
            """
        ).fetchone()
    assert read == {
        "intermediate.int_job_postings_deduplicated",
        "marts.job_postings",
        "staging.stg_rome__occupations",
    }
