"""Programme participants: the operator's private cohort file, or a SYNTHETIC one."""

import dagster as dg

from ingestion.accounting import counted
from ingestion.candidates import quarantined_columns
from ingestion.landing import land
from ingestion.programme_participants import DESCRIPTION, SOURCE, TABLE, parse_participants
from ingestion.synthetic_candidates import write_synthetic_file
from ingestion.synthetic_programme import generate, load_cohort_inputs
from orchestration.assets.dbt import dbt_model_keys
from orchestration.metadata import rows_read_metadata
from orchestration.resources import PasserellePaths
from orchestration.settings import pseudonym_salt

PRIVATE_FILE = "programme_participants.csv"
SYNTHETIC_FILE = "synthetic/programme_participants_SYNTHETIC.csv"
# One partition, replaced whole: switching between private and synthetic input never mixes them.
PARTITION = "current"


@dg.asset(
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
    private_file = paths.private_path / PRIVATE_FILE
    is_synthetic = not private_file.exists()
    if is_synthetic:
        cohort_file = paths.data_path / SYNTHETIC_FILE
        context.log.warning(
            f"No private programme file at {private_file}: using a SYNTHETIC cohort (sizes are assumptions "
            f"echoing the programme's public figures, not its data), written to {cohort_file}. "
            "Every row carries is_synthetic = true."
        )
        write_synthetic_file(cohort_file, generate(load_cohort_inputs(paths.warehouse_path, paths.region)))
    else:
        cohort_file = private_file
        context.log.info(f"Reading the operator's private programme file {private_file}")
    parsed = counted(
        lambda: parse_participants(cohort_file, pseudonym_salt(paths.private_path), is_synthetic=is_synthetic)
    )
    landed = land(
        paths.data_path,
        SOURCE,
        TABLE,
        parsed,
        partition=PARTITION,
        origin="synthetic" if is_synthetic else "private",
        run_id=context.run_id,
    )
    rejected_columns = quarantined_columns(parsed.rejects)
    if len(parsed.rejects):
        # Counts per column only: a reject reason may quote a row's value (a commune, a date).
        context.log.warning(
            f"{len(parsed.rejects)} programme rows quarantined (reasons in {paths.data_path / 'quarantine'}); "
            f"by column: {rejected_columns}"
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(landed.rows),
            "is_synthetic": dg.MetadataValue.bool(is_synthetic),
            "input": dg.MetadataValue.text(
                "SYNTHETIC programme cohort (no private file): not real people; sizes are assumptions"
                if is_synthetic
                else "private file"
            ),
            **rows_read_metadata(parsed),
            "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
            # Whole-file counts only: no participant's row, pseudonym, commune, gender or date.
            "rows_quarantined_by_column": dg.MetadataValue.json(rejected_columns),
        }
    )
