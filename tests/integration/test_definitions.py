"""The Dagster definitions: asset keys, groups, schedule, dbt wiring."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

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
