"""ROME v3 to ISCO-08 (France Travail, the correspondence used on EURES).

Bundled as the published workbook ``Correspondance_ROME_ISCO08.xlsx``; the sheet read is
``ROME to ISCO-08`` (532 ROME v3 codes, one ISCO-08 code each). The sheet stores the ISCO codes as
numbers: they land as the text of the integer, as published ('8341', and '110' for the armed
forces unit group 0110, whose leading zero the workbook dropped; staging restores it). The sheet's
trailing empty rows are formatting, not records, and are skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import snapshot_file, with_provenance
from ingestion.readers.workbooks import cells_as_text, read_sheet_rows
from ingestion.rules import ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

FOLDER = "rome_crosswalks"
SOURCE = "rome_crosswalks"
ISCO_FILE = "Correspondance_ROME_ISCO08.xlsx"
ISCO_SHEET = "ROME to ISCO-08"

ROME_ISCO08 = [
    Column("code_rome", source="Code ROME", required=True),
    Column("libelle_codes_rome", source="Libellé codes ROME"),
    Column("isco08_14si4", source="ISCO08 14SI4"),
    Column("code_isco08", source="Code ISCO08", required=True),
    Column("libelle_codes_isco08", source="Libellé codes ISCO08"),
]


def read_sheet(path: Path, sheet: str, expected_columns: list[str]) -> pd.DataFrame:
    """One sheet of a workbook as a frame of strings with provenance; header on the first row.

    ``_row_number`` is the worksheet row, so a reject points at the cell a person would open.
    """
    _, rows = read_sheet_rows(path, sheet)
    if not rows:
        raise SourceFileError(
            path,
            f"sheet {sheet!r} row 1",
            f"a header with columns {expected_columns}",
            "an empty sheet",
        )
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    missing = [column for column in expected_columns if column not in header]
    if missing:
        raise SourceFileError(
            path,
            f"sheet {sheet!r} row 1",
            f"columns {missing}",
            f"columns {[h for h in header if h]}",
        )
    positions = [header.index(column) for column in expected_columns]
    width = len(header)
    body = pd.DataFrame.from_records([tuple(row) + (None,) * (width - len(row)) for row in rows[1:]])
    frame = cells_as_text(body.iloc[:, positions].set_axis(expected_columns, axis=1))
    # Excel's formatted-but-empty rows stay: apply_schema quarantines them as blank records, so the
    # sheet's rows are all accounted for.
    return with_provenance(frame, path, range(2, len(rows) + 1))


def parse_rome_isco08(snapshot_dir: Path) -> ParsedTable:
    path = snapshot_file(snapshot_dir, FOLDER, ISCO_FILE)
    frame = read_sheet(path, ISCO_SHEET, [column.source_name for column in ROME_ISCO08])
    rows, rejects = apply_schema(frame, ROME_ISCO08)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: "xlsx"})


RULES = TableRules(unique=("code_rome",), row_rules=(matches("code_rome", ROME_CODE, "rome_code"),))

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "rome_isco08",
        "One row per ROME v3 code (532) with its ISCO-08 code (Code ISCO08, 4-digit unit group as "
        "published, leading zero lost for armed forces) and the coarser ISCO08 14SI4 code. Source: "
        "France Travail, Correspondance_ROME_ISCO08.xlsx, sheet 'ROME to ISCO-08'.",
        parse_rome_isco08,
        ROME_ISCO08,
        RULES,
    ),
]
