"""Candidates: the operator's private file, or a SYNTHETIC one built from open aggregates."""

import dagster as dg

from ingestion.candidates import DESCRIPTION, SOURCE, TABLE, parse_candidates
from ingestion.synthetic_candidates import generate, load_open_aggregates
from orchestration.assets.dbt import dbt_model_keys
from orchestration.assets.private_inputs import PrivateInput, land_private_or_synthetic
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.resources import PasserellePaths

CANDIDATES = PrivateInput(
    source=SOURCE,
    table=TABLE,
    private_file="candidates.csv",
    synthetic_file="synthetic/candidates_SYNTHETIC.csv",
    rows_noun="candidate",
    file_noun="candidates",
    synthetic_warning="SYNTHETIC candidates built from open aggregates",
    synthetic_input="SYNTHETIC candidates (no private file): not real people",
)


@dg.asset(
    pool=WAREHOUSE_POOL,
    op_tags=WAREHOUSE_OP_TAGS,
    key=dg.AssetKey([SOURCE, TABLE]),
    group_name=SOURCE,
    description=DESCRIPTION,
    kinds={"python", "parquet"},
    deps=dbt_model_keys(
        "territories",
        "int_job_postings_duplicates_flagged",
        "skills",
        "stg_jobseekers__jobseeker_counts",
        "stg_dares__women_jobseeker_shares",
        "stg_rome__mobility_links",
        "stg_rome__occupation_items",
    ),
    tags={"passerelle/layer": "raw"},
)
def candidate_profiles(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    return land_private_or_synthetic(
        context,
        paths,
        CANDIDATES,
        lambda: generate(load_open_aggregates(paths.warehouse_path, paths.region)),
        parse_candidates,
    )
