"""Everything Dagster loads for passerelle, assembled explicitly."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.candidates import candidate_profiles
from orchestration.assets.dbt import passerelle_dbt_assets
from orchestration.assets.matching import (
    extracted_posting_skills,
    posting_candidate_matches,
    posting_training_matches,
)
from orchestration.assets.publish import build_publish_asset, published_dbt_docs, published_report
from orchestration.assets.raw import raw_assets
from orchestration.assets.training import training_supply_coverage, training_text_links
from orchestration.resources import build_resources
from orchestration.schedules import nightly_refresh, refresh_all_job

# In-process execution: DuckDB accepts one writing process, and the steps are short enough that
# the start-up cost of one process per step would dominate on two cores.
mart_keys = [key for key in passerelle_dbt_assets.keys if key.path[0] == "marts"]

defs = dg.Definitions(
    assets=[
        *raw_assets,
        candidate_profiles,
        passerelle_dbt_assets,
        extracted_posting_skills,
        training_text_links,
        training_supply_coverage,
        posting_training_matches,
        posting_candidate_matches,
        build_publish_asset(mart_keys),
        published_report,
        published_dbt_docs,
    ],
    jobs=[refresh_all_job],
    schedules=[nightly_refresh],
    resources=build_resources(),
    executor=dg.in_process_executor,
)
