"""The Dagster definitions: asset keys, groups, schedule, dbt wiring."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from ingestion.catalog import RAW_TABLES


def test_definitions_load_with_expected_keys_and_schedule(dbt_manifest: Path) -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for raw_table in RAW_TABLES:
        key = dg.AssetKey([raw_table.source, raw_table.table])
        assert key in keys
        node = graph.get(key)
        assert node.group_name == raw_table.source
        assert node.description == raw_table.description
    # dbt staging models hang off the ingestion assets through dbt sources of the same names.
    occupations = graph.get(dg.AssetKey(["staging", "stg_rome__occupations"]))
    assert dg.AssetKey(["rome", "fiches"]) in occupations.parent_keys
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Paris"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING


def test_offers_are_partitioned_by_day_and_refreshed_nightly_in_one_run(dbt_manifest: Path) -> None:
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from orchestration.assets.offers import OFFERS_KEY
    from orchestration.definitions import defs
    from orchestration.schedules import offer_days_to_refresh
    from tests.conftest import SNAPSHOT_DIR

    offers = defs.resolve_assets_def(OFFERS_KEY)
    partitions = offers.partitions_def
    assert isinstance(partitions, dg.DailyPartitionsDefinition)
    assert partitions.get_first_partition_key() == "2022-01-01"
    assert offers.backfill_policy == dg.BackfillPolicy.single_run()
    # One job per partitioning: the offers alone, then everything else.
    assert defs.resolve_job_def("france_travail_offers").asset_layer.executable_asset_keys == {OFFERS_KEY}
    rest = defs.resolve_job_def("refresh_all").asset_layer.executable_asset_keys
    assert OFFERS_KEY not in rest and dg.AssetKey(["rome", "fiches"]) in rest
    assert defs.resolve_sensor_def("refresh_after_offers").default_status == dg.DefaultSensorStatus.RUNNING
    # Live: yesterday and the 6 days before; snapshot: every bundled day, in one run request.
    assert offer_days_to_refresh("live", SNAPSHOT_DIR, Path("unused"), date(2026, 5, 10)) == (
        "2026-05-03",
        "2026-05-09",
    )
    schedule = defs.resolve_schedule_def("nightly_refresh")
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 5, 10, 2, tzinfo=ZoneInfo("Europe/Paris"))
    )
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.tags["dagster/asset_partition_range_start"] == "2022-10-28"
    assert request.tags["dagster/asset_partition_range_end"] == "2026-05-04"


def test_dbt_assets_are_grouped_by_layer_and_area_with_a_layer_tag(dbt_manifest: Path) -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    expected = {
        ("staging", "stg_rome__occupations"): ("staging_rome", "staging"),
        ("intermediate", "int_job_postings_territories_unpivoted"): ("intermediate_postings", "intermediate"),
        ("marts", "skill_demand"): ("marts_postings", "marts"),
        ("marts", "hiring_needs"): ("marts_hiring", "marts"),
        ("marts", "outcome_indicators"): ("marts_outcomes", "marts"),
    }
    for path, (group, layer) in expected.items():
        node = graph.get(dg.AssetKey(list(path)))
        assert (node.group_name, node.tags.get("passerelle/layer")) == (group, layer), path
    dbt_groups = {
        graph.get(key).group_name
        for key in graph.get_all_asset_keys()
        if key.path[0] in ("staging", "intermediate", "marts")
    }
    assert "default" not in dbt_groups
    assert {group.split("_")[0] for group in dbt_groups} == {"staging", "intermediate", "marts"}
    assert len(dbt_groups) >= 40
    # the report and the docs site come after the published copy
    for key in (["published", "report"], ["published", "dbt_docs"]):
        assert dg.AssetKey(["published", "passerelle"]) in graph.get(dg.AssetKey(key)).parent_keys


def test_refresh_all_runs_dbt_in_three_steps_that_keep_every_model_and_test(dbt_manifest: Path) -> None:
    import json

    from orchestration.assets.dbt import passerelle_dbt_stages
    from orchestration.definitions import defs

    manifest = json.loads(dbt_manifest.read_text())
    job = defs.resolve_job_def("refresh_all")
    # No model sits in a step that a Python step both reads and feeds, so Dagster does not split
    # the stages further: one dbt invocation per stage of the data flow.
    dbt_steps = sorted(node.name for node in job.graph.nodes if node.name.startswith("passerelle_dbt"))
    assert dbt_steps == ["passerelle_dbt_enriched", "passerelle_dbt_outcomes", "passerelle_dbt_warehouse"]
    steps = {stage.node_def.name: stage for stage in passerelle_dbt_stages}
    models = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] in ("model", "seed")}
    keys = [key.path[-1] for stage in passerelle_dbt_stages for key in stage.keys]
    assert sorted(keys) == sorted(models)
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert sum(len(stage.check_keys) for stage in passerelle_dbt_stages) == len(tests) > 400
    # The synthetic candidates read postings from the first step, so their models and the
    # extraction's share the second; the matches' readers come last.
    enriched = {key.path[-1] for key in steps["passerelle_dbt_enriched"].keys}
    assert {"job_postings", "stg_candidates__profiles", "training_occupations", "posting_texts"} <= enriched
    outcomes = {key.path[-1] for key in steps["passerelle_dbt_outcomes"].keys}
    assert {"posting_training_matches", "posting_candidate_matches", "outcome_indicators"} <= outcomes
    candidates = defs.resolve_asset_graph().get(dg.AssetKey(["candidates", "profiles"]))
    assert not {key for key in candidates.parent_keys if key.path[-1] in enriched | outcomes}


@pytest.mark.slow  # two fresh interpreters load the definitions (~10 s each)
def test_download_mode_puts_each_download_upstream_of_the_raw_tables_it_refreshes(dbt_manifest: Path) -> None:
    # A fresh interpreter: the mode is read when the definitions are built.
    program = (
        "import json; from orchestration.definitions import defs; graph = defs.resolve_asset_graph(); "
        "print(json.dumps({key.to_user_string(): sorted(p.to_user_string() for p in graph.get(key).parent_keys) "
        "for key in graph.get_all_asset_keys() if key.path[0] in ('downloads', 'bmo', 'rome', 'geography', 'rncp', "
        "'mon_compte_formation')}))"
    )
    loaded = {}
    for mode in ("snapshot", "download"):
        environment = {**os.environ, "PASSERELLE_OPEN_DATA_SOURCE": mode}
        output = subprocess.run(
            [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True
        ).stdout
        loaded[mode] = json.loads(output.strip().splitlines()[-1])

    assert not [key for key in loaded["snapshot"] if key.startswith("downloads/")]
    assert sorted(key for key in loaded["download"] if key.startswith("downloads/")) == [
        "downloads/bmo",
        "downloads/cog",
        "downloads/mon_compte_formation",
        "downloads/rncp",
        "downloads/rome",
    ]
    assert loaded["download"]["bmo/hiring_projects"] == ["downloads/bmo"]
    assert loaded["download"]["rome/items"] == ["downloads/rome"]
    assert loaded["download"]["geography/regions"] == ["downloads/cog"]
    assert loaded["download"]["geography/zones_emploi"] == []  # geo_zonages: not downloaded
    assert loaded["download"]["mon_compte_formation/catalogue"] == ["downloads/mon_compte_formation"]
    assert "mon_compte_formation/catalogue" not in loaded["snapshot"]  # nothing bundled to land
    assert loaded["snapshot"]["bmo/hiring_projects"] == []


def test_python_steps_name_their_dbt_inputs_from_the_manifest(dbt_manifest: Path) -> None:
    """A Python step declares the models it reads by name, resolved through the dbt manifest: a
    model that is renamed or removed fails when the definitions load, naming the model."""
    from orchestration.assets.dbt import dbt_model_keys

    assert dbt_model_keys("job_postings", "stg_rome__items", "int_job_postings_deduplicated") == [
        dg.AssetKey(["marts", "job_postings"]),
        dg.AssetKey(["staging", "stg_rome__items"]),
        dg.AssetKey(["intermediate", "int_job_postings_deduplicated"]),
    ]
    with pytest.raises(KeyError, match="stg_rome__itemz"):
        dbt_model_keys("stg_rome__itemz")


def _opens_the_warehouse(node: dg.OpDefinition) -> bool:
    """A step opens warehouse.duckdb when it runs dbt or its body names the warehouse's path."""
    body = inspect.getsource(node.compute_fn.decorated_fn)
    return "dbt" in node.required_resource_keys or "warehouse_path" in body


def test_every_step_that_opens_the_warehouse_and_only_those_is_in_the_warehouse_pool(dbt_manifest: Path) -> None:
    from orchestration.definitions import defs
    from orchestration.executors import WAREHOUSE_POOL, WAREHOUSE_TAG

    job = defs.resolve_implicit_global_asset_job_def()
    ops = {node.definition.name: node.definition for node in job.nodes}
    opening = {name for name, op in ops.items() if _opens_the_warehouse(op)}
    pooled = {name for name, op in ops.items() if op.pool == WAREHOUSE_POOL}
    tagged = {name for name, op in ops.items() if op.tags.get(WAREHOUSE_TAG[0]) == WAREHOUSE_TAG[1]}
    assert pooled == opening
    assert tagged == opening
    # The dbt stages, the extraction, the matching, the publication and the marts' suites, and no landing step.
    assert {"passerelle_dbt_warehouse", "extracted_posting_skills", "published__passerelle"} <= opening
    assert not any(name.startswith("france_travail__job_offers") for name in opening)
    assert sum(name.startswith("marts__") for name in opening) >= 10
