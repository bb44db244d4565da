"""One way to land a file about people: the operator's private file when it exists, otherwise a
labelled SYNTHETIC stand-in, written under the data directory and read by the same parser.

The candidates and the programme participants both land this way; what differs between them (file
names, the generator, the parser, their wording) is given by the caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg
import pandas as pd

from ingestion.accounting import counted
from ingestion.candidates import quarantined_columns
from ingestion.landing import land
from ingestion.synthetic_candidates import write_synthetic_file
from ingestion.tables import ParsedTable
from orchestration.metadata import rows_read_metadata
from orchestration.resources import PasserellePaths
from orchestration.settings import pseudonym_salt

# One partition, replaced whole: switching between private and synthetic input never mixes them.
PARTITION = "current"


@dataclass(frozen=True)
class PrivateInput:
    """A file about people and how to land it."""

    source: str
    table: str
    private_file: str  # under the private directory
    synthetic_file: str  # under the data directory
    rows_noun: str  # "candidate rows quarantined"
    file_noun: str  # "No private candidates file"
    synthetic_warning: str  # what the SYNTHETIC stand-in is, after "using"
    synthetic_input: str  # the asset's "input" metadata when synthetic


def land_private_or_synthetic(
    context: dg.AssetExecutionContext,
    paths: PasserellePaths,
    spec: PrivateInput,
    generate_synthetic: Callable[[], pd.DataFrame],
    parse: Callable[..., ParsedTable],
) -> dg.MaterializeResult:
    private_file = paths.private_path / spec.private_file
    is_synthetic = not private_file.exists()
    if is_synthetic:
        input_file = paths.data_path / spec.synthetic_file
        context.log.warning(
            f"No private {spec.file_noun} file at {private_file}: using {spec.synthetic_warning}, written to "
            f"{input_file}. Every row carries is_synthetic = true."
        )
        write_synthetic_file(input_file, generate_synthetic())
    else:
        input_file = private_file
        context.log.info(f"Reading the operator's private {spec.file_noun} file {private_file}")
    parsed = counted(lambda: parse(input_file, pseudonym_salt(paths.private_path), is_synthetic=is_synthetic))
    landed = land(
        paths.data_path,
        spec.source,
        spec.table,
        parsed,
        partition=PARTITION,
        origin="synthetic" if is_synthetic else "private",
        run_id=context.run_id,
    )
    rejected_columns = quarantined_columns(parsed.rejects)
    if len(parsed.rejects):
        # Counts per column only: a reject reason quotes the row's value (a commune, a date).
        context.log.warning(
            f"{len(parsed.rejects)} {spec.rows_noun} rows quarantined (reasons in {paths.data_path / 'quarantine'}); "
            f"by column: {rejected_columns}"
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(landed.rows),
            "is_synthetic": dg.MetadataValue.bool(is_synthetic),
            "input": dg.MetadataValue.text(spec.synthetic_input if is_synthetic else "private file"),
            **rows_read_metadata(parsed.records_read, parsed.counted_as),
            "rows_quarantined": dg.MetadataValue.int(len(parsed.rejects)),
            # Whole-file counts only: no row, pseudonym, commune, gender or date of a person is ever
            # shown here (run metadata is readable by every UI user).
            "rows_quarantined_by_column": dg.MetadataValue.json(rejected_columns),
        }
    )
