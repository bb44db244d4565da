"""Programme participants: the operator's private cohort file, or a SYNTHETIC one."""

import dagster as dg

from ingestion.programme_participants import DESCRIPTION, SOURCE, TABLE, parse_participants
from ingestion.synthetic_programme import generate, load_cohort_inputs
from orchestration.assets.dbt import dbt_model_keys
from orchestration.assets.private_inputs import PrivateInput, land_private_or_synthetic
from orchestration.executors import WAREHOUSE_OP_TAGS, WAREHOUSE_POOL
from orchestration.resources import PasserellePaths

PROGRAMME = PrivateInput(
    source=SOURCE,
    table=TABLE,
    private_file="programme_participants.csv",
    synthetic_file="synthetic/programme_participants_SYNTHETIC.csv",
    rows_noun="programme",
    file_noun="programme",
    synthetic_warning=(
        "a SYNTHETIC cohort (sizes are assumptions echoing the programme's public figures, not its data)"
    ),
    synthetic_input="SYNTHETIC programme cohort (no private file): not real people; sizes are assumptions",
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
        "trainings",
        "int_training_occupations_linked",
        "occupations",
        "stg_jobseekers__jobseeker_counts",
        "stg_dares__women_jobseeker_shares",
    ),
    tags={"passerelle/layer": "raw"},
)
def programme_participants(context: dg.AssetExecutionContext, paths: PasserellePaths) -> dg.MaterializeResult:
    return land_private_or_synthetic(
        context,
        paths,
        PROGRAMME,
        lambda: generate(load_cohort_inputs(paths.warehouse_path, paths.region)),
        parse_participants,
    )
