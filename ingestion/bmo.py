"""BMO (Besoins en main-d'œuvre, France Travail) 2024 and the March 2024 "métiers en tension" lists.

The BMO workbook has one data sheet, one row per (bassin, département, BMO métier). Its bassin
columns carry the survey year (``BE24``/``NOMBE24`` in 2024, ``BE25`` in 2025, ``BE19`` in 2019),
so they are found by pattern and landed as ``bassin_code``/``bassin_name``; the year stays in
``annee``. ``*`` marks statistical secrecy: it becomes NULL, never 0.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from ingestion.casting import Column, apply_schema, columns
from ingestion.delimited import parse_delimited
from ingestion.errors import SourceFileError
from ingestion.files import ROW_NUMBER, SOURCE_FILE, snapshot_file
from ingestion.tables import ParsedTable, RawTable

SOURCE = "bmo"
FOLDER = "bmo"
WORKBOOK = "Base_open_data_BMO_2024.xlsx"
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


def snake_case(header: object) -> str:
    """'Code métier BMO' -> 'code_metier_bmo': lowercase ASCII, runs of other characters -> '_'."""
    ascii_text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _data_sheet(path: Path, workbook: openpyxl.Workbook) -> str:
    matches = [name for name in workbook.sheetnames if SHEET_PATTERN.match(name)]
    if len(matches) != 1:
        raise SourceFileError(
            path, "sheets", "exactly one sheet named like 'BMO_<year>_open_data'", f"sheets {workbook.sheetnames}"
        )
    return matches[0]


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
            raise SourceFileError(path, where, f"a column {raw_name!r} (header {' or '.join(spellings)})", f"headers {headers}")
        names[found[0]] = raw_name
    return names


def _as_text(values: pd.Series) -> pd.Series:
    """Excel cells as text: integral numbers without '.0' (bassin 4402, year 2024), empty -> NA."""
    text = values.astype("string")
    return text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)


def parse_hiring_projects(snapshot_dir: Path) -> ParsedTable:
    path = snapshot_file(snapshot_dir, FOLDER, WORKBOOK)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise SourceFileError(path, "workbook", "an .xlsx workbook", str(error)) from error
    try:
        sheet = _data_sheet(path, workbook)
        rows = list(workbook[sheet].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows:
        raise SourceFileError(path, f"sheet {sheet!r}", "a header row and data rows", "an empty sheet")
    names = _rename_headers(path, sheet, list(rows[0]))
    frame = pd.DataFrame.from_records(rows[1:], columns=range(len(rows[0])))
    frame.columns = names
    frame = frame[[name for name in names if name]]
    # Excel's trailing formatted-but-empty rows are not records.
    frame = frame.dropna(how="all")
    frame = frame.apply(_as_text)
    # Row numbers are spreadsheet rows minus the header, like the CSV readers' (1 = first data row).
    frame.insert(0, ROW_NUMBER, pd.array(frame.index + 1, dtype="Int64"))
    frame.insert(0, SOURCE_FILE, path.name)
    typed, rejects = apply_schema(frame.reset_index(drop=True), HIRING_SCHEMA)
    bassin_header = next(str(h) for h in rows[0] if h is not None and BASSIN_CODE_PATTERN.match(str(h).strip()))
    return ParsedTable(
        rows=typed,
        rejects=rejects,
        files=[path],
        encodings={path.name: "xlsx"},
        notes={"sheet": sheet, "bassin_column": bassin_header},
    )


def parse_tension_list(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(
        snapshot_file(snapshot_dir, FOLDER, TENSION_FILE),
        columns(
            Column("region", source="Region", required=True),
            Column("famille_professionnelle", source="Famille Professionnelle", required=True),
            Column("code_fap", source="Code FAP", required=True),
        ),
    )


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
    ),
    RawTable(
        SOURCE,
        "metiers_en_tension",
        "One row per (région or 'France Entière', FAP2009 family) of the March 2024 lists of "
        "métiers en tension (399). Source: metiers_en_tension_mars_2024.csv.",
        parse_tension_list,
    ),
]
