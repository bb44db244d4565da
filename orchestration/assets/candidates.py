"""Candidates: the operator's private file, or a SYNTHETIC one built from open aggregates."""

import dagster as dg

from ingestion.accounting import counted
from ingestion.candidates import DESCRIPTION, SOURCE, TABLE, parse_candidates, quarantined_columns
from ingestion.landing import land
from ingestion.synthetic_candidates import generate, load_open_aggregates, write_synthetic_file
from orchestration.assets.dbt import dbt_model_keys
from orchestration.metadata import rows_read_metadata
from orchestration.resources import PasserellePaths
from orchestration.settings import pseudonym_salt

PRIVATE_FILE = "candidates.csv"
SYNTHETIC_FILE = "synthetic/candidates_SYNTHETIC.csv"
# One partition, replaced whole: switching between private and synthetic input never mixes them.
PARTITION = "current"


@dg.asset(
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
    private_file = paths.private_path / PRIVATE_FILE
    is_synthetic = not private_file.exists()
    if is_synthetic:
        candidates_file = paths.data_path / SYNTHETIC_FILE
        context.log.warning(
            f"No private candidates file at {private_file}: using SYNTHETIC candidates built from "
            f"open aggregates, written to {candidates_file}. Every row carries is_synthetic = true."
        )
        write_synthetic_file(candidates_file, generate(load_open_aggregates(paths.warehouse_path, paths.region)))
    else:
        candidates_file = private_file
        context.log.info(f"Reading the operator's private candidates file {private_file}")
    parsed = counted(
        lambda: parse_candidates(candidates_file, pseudonym_salt(paths.private_path), is_synthetic=is_synthetic)
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
        # Counts per column only: a reject reason quotes the row's value (a commune, a date).
        context.log.warning(
            f"{len(parsed.rejects)} candidate rows quarantined (reasons in {paths.data_path / 'quarantine'}); "
            f"by column: {rejected_columns}"
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(landed.rows),
            "is_synthetic": dg.MetadataValue.bool(is_synthetic),
            "input": dg.MetadataValue.text(
                "SYNTHETIC candidates (no private file): not real people" if is_synthetic else "private file"
            ),
            **rows_read_metadata(parsed),
            "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
            # Whole-file counts only: no row, pseudonym, commune, gender or date of a candidate is
            # ever shown here (run metadata is readable by every UI user).
            "rows_quarantined_by_column": dg.MetadataValue.json(rejected_columns),
        }
    )
