"""BMO (Besoins en main-d'œuvre, France Travail) 2024 and the March 2024 "métiers en tension" lists.

The BMO workbook has one data sheet, one row per (bassin, département, BMO métier). Its bassin
columns carry the survey year (``BE24``/``NOMBE24`` in 2024, ``BE25`` in 2025, ``BE19`` in 2019),
so they are found by pattern and landed as ``bassin_code``/``bassin_name``; the year stays in
``annee``. ``*`` marks statistical secrecy: it becomes NULL, never 0.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import newest_file, snake_case, snapshot_file, with_provenance
from ingestion.readers.workbooks import cells_as_text, read_sheet_rows
from ingestion.rules import DEPARTEMENT_CODE, REGION_CODE, TableRules, matches, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "bmo"
FOLDER = "bmo"
# The newest edition present: a download of a later survey year is read as it is.
WORKBOOK = "Base_open_data_BMO_[0-9][0-9][0-9][0-9].xlsx"
SHEET_PATTERN = re.compile(r"^BMO_\d{4}_open_data$")
BASSIN_CODE_PATTERN = re.compile(r"^BE\d+$", re.IGNORECASE)
BASSIN_NAME_PATTERN = re.compile(r"^NOMBE\d+$", re.IGNORECASE)
TENSION_FILE = "metiers_en_tension_mars_2024.csv"

SECRET = frozenset({"*"})

# Raw column -> accepted snake_case spellings of the header across survey years (2019 differed).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "annee": ("annee",),
    "code_metier_bmo": ("code_metier_bmo",),
    "nom_metier_bmo": ("nom_metier_bmo",),
    "famille_met": ("famille_met", "famille_metier"),
    "lbl_fam_met": ("lbl_fam_met", "libelle_famille_metier"),
    "reg": ("reg",),
    "nom_reg": ("nom_reg",),
    "dept": ("dept",),
    "nomdept": ("nomdept",),
    "met": ("met",),
    "xmet": ("xmet",),
    "smet": ("smet",),
}

HIRING_SCHEMA: list[Column] = columns(
    Column("annee", "int", required=True),
    Column("code_metier_bmo", required=True),
    "nom_metier_bmo",
    "famille_met",
    "lbl_fam_met",
    Column("reg", required=True),
    "nom_reg",
    "dept",
    "nomdept",
    Column("bassin_code", required=True),
    "bassin_name",
    Column("met", "int", null_values=SECRET),
    Column("xmet", "int", null_values=SECRET),
    Column("smet", "int", null_values=SECRET),
)


def _rename_headers(path: Path, sheet: str, headers: list[object]) -> list[str]:
    """Raw names for the sheet's header cells; raises when a needed column is missing."""
    names = [snake_case(header) if header is not None else "" for header in headers]
    where = f"sheet {sheet!r}, header row 1"
    bassin_codes = [i for i, h in enumerate(headers) if h is not None and BASSIN_CODE_PATTERN.match(str(h).strip())]
    bassin_names = [i for i, h in enumerate(headers) if h is not None and BASSIN_NAME_PATTERN.match(str(h).strip())]
    if len(bassin_codes) != 1:
        raise SourceFileError(path, where, "one bassin code column matching ^BE\\d+$", f"headers {headers}")
    if len(bassin_names) > 1:
        raise SourceFileError(path, where, "at most one bassin name column matching ^NOMBE\\d+$", f"headers {headers}")
    names[bassin_codes[0]] = "bassin_code"
    if bassin_names:
        names[bassin_names[0]] = "bassin_name"
    for raw_name, spellings in HEADER_ALIASES.items():
        found = [i for i, name in enumerate(names) if name in spellings]
        if not found:
            raise SourceFileError(
                path, where, f"a column {raw_name!r} (header {' or '.join(spellings)})", f"headers {headers}"
            )
        names[found[0]] = raw_name
    return names


def parse_hiring_projects(snapshot_dir: Path) -> ParsedTable:
    path = newest_file(snapshot_dir, FOLDER, WORKBOOK)
    sheet, rows = read_sheet_rows(path, SHEET_PATTERN)
    if not rows:
        raise SourceFileError(path, f"sheet {sheet!r}", "a header row and data rows", "an empty sheet")
    names = _rename_headers(path, sheet, list(rows[0]))
    frame = pd.DataFrame.from_records(rows[1:], columns=range(len(rows[0])))
    frame.columns = names
    frame = frame[[name for name in names if name]]
    # Excel's trailing formatted-but-empty rows are counted as records: apply_schema quarantines
    # them as blank records rather than letting them vanish.
    frame = cells_as_text(frame)
    # Row numbers are spreadsheet rows minus the header, like the CSV readers' (1 = first data row).
    frame = with_provenance(frame, path, frame.index + 1)
    typed, rejects = apply_schema(frame, HIRING_SCHEMA)
    bassin_header = next(str(h) for h in rows[0] if h is not None and BASSIN_CODE_PATTERN.match(str(h).strip()))
    return ParsedTable(
        rows=typed,
        rejects=rejects,
        files=[path],
        encodings={path.name: "xlsx"},
        notes={"sheet": sheet, "bassin_column": bassin_header},
    )


TENSION_SCHEMA: list[Column] = columns(
    Column("region", source="Region", required=True),
    Column("famille_professionnelle", source="Famille Professionnelle", required=True),
    Column("code_fap", source="Code FAP", required=True),
)


def parse_tension_list(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, TENSION_FILE), TENSION_SCHEMA)


RULES: dict[str, TableRules] = {
    "hiring_projects": TableRules(
        unique=("annee", "bassin_code", "dept", "code_metier_bmo"),
        row_rules=(
            *non_negative("met", "xmet", "smet"),
            matches("dept", DEPARTEMENT_CODE, "departement_code"),
            matches("reg", REGION_CODE, "region_code"),
        ),
    ),
    "metiers_en_tension": TableRules(unique=("region", "code_fap")),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "hiring_projects",
        "One row per (bassin d'emploi, département, BMO métier) of the BMO 2024 survey, all of France "
        "(53,443): recruitment projects (met), of which judged difficult (xmet) and seasonal (smet); "
        "'*' (statistical secrecy) is NULL. Bassin columns found by pattern (BE24/NOMBE24 -> "
        "bassin_code/bassin_name). Source: France Travail, Base_open_data_BMO_2024.xlsx, sheet "
        "BMO_2024_open_data.",
        parse_hiring_projects,
        HIRING_SCHEMA,
        RULES["hiring_projects"],
    ),
    RawTable(
        SOURCE,
        "metiers_en_tension",
        "One row per (région or 'France Entière', FAP2009 family) of the March 2024 lists of "
        "métiers en tension (399). Source: metiers_en_tension_mars_2024.csv.",
        parse_tension_list,
        TENSION_SCHEMA,
        RULES["metiers_en_tension"],
    ),
]
