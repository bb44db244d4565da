"""Everything Dagster loads for passerelle, assembled explicitly."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import passerelle_dbt_assets
from orchestration.assets.raw import raw_assets
from orchestration.resources import build_resources
from orchestration.schedules import nightly_refresh, refresh_all_job

# In-process execution: DuckDB accepts one writing process, and the steps are short enough that
# the start-up cost of one process per step would dominate on two cores.
defs = dg.Definitions(
    assets=[*raw_assets, passerelle_dbt_assets],
    jobs=[refresh_all_job],
    schedules=[nightly_refresh],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
