"""InserJeunes (DEPP / DARES): value-added indicators per establishment, lycées pro and CFA.

Ten bundled files, ``depp-2022-etablissements-<millesime>-<filiere>.csv`` for millésimes
2018_2019 to 2022_2023, filière ``pro`` (lycées professionnels) or ``apprentissage`` (CFA);
``;``-separated UTF-8. They land in one table, with ``millesime`` and ``filiere`` taken from the
file name. Rates are percentages; ``nd`` (non diffusé, not released) becomes NULL, never 0.

The headers changed over the years, so each file's header is checked and mapped:

* 2020_2021 onwards: every header cell is named; columns are mapped **by name** (the
  apprentissage files end some names with a space, which is stripped).
* 2018_2019 and 2019_2020: the original two-row headers were flattened and left **blank header
  cells**. Those columns are mapped **by position** (:data:`POSITIONAL_LAYOUTS`), and every
  non-blank cell of the header must still name the column expected at its position, so that a
  shifted layout stops the source instead of landing figures in the wrong column.

``Taux`` is the observed employment rate 6 months after leaving, among the leavers not in
further study: on the 17,234 rows of 2020_2021 onwards that give the shares, ``Taux`` equals
``Part en emploi 6 mois`` / (100 - ``Part en poursuite d'études``) within 2 points in 99.6 % of
rows (within 5 in all), the gap being rounding of the published integers.

How the blank columns were identified (measured on the bundled files, not stated by them):

* the cell before ``Taux`` is the further-study rate: it correlates at 0.90 (CFA) and 0.86
  (lycées) with the same establishment's named ``Taux de poursuite d'études`` a year later;
* in the ``pro`` files the 4th cell holds ``ensemble`` / ``dont apprentis`` / ``dont élèves en
  voie pro sco``, the population of the named ``Dont apprentis en EPLE`` column of later files;
* the cells after ``Valeur ajoutée`` (three in 2018_2019, one in 2019_2020) are unnamed rates,
  mostly at or above ``Taux`` (85-93 % of rows) and correlated with it (0.75): probably
  employment rates at later dates (12, 18, 24 months), but the file does not say so, so they
  land as ``unlabelled_col_9`` .. ``unlabelled_col_11`` (1-based positions in the file);
* the 2018_2019 apprentissage file has one more numeric cell in 4th position (26-41 %,
  uncorrelated with every named rate): ``unlabelled_col_4``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import ROW_NUMBER, SOURCE_FILE, read_delimited, snapshot_files
from ingestion.rules import TableRules, between
from ingestion.tables import ParsedTable, RawTable

FOLDER = "inserjeunes"
SOURCE = "inserjeunes"
FILE_PATTERN = "depp-*-etablissements-*.csv"
_FILE_NAME = re.compile(r"^depp-\d{4}-etablissements-(\d{4}_\d{4})-(pro|apprentissage)\.csv$")

NOT_RELEASED = frozenset({"nd"})

UAI = "n_uai_de_l_etablissement"
LABEL = "libelle_de_l_etablissement"
REGION = "region"
POPULATION = "dont_apprentis_en_eple"
FURTHER_STUDY_RATE = "taux_de_poursuite_d_etudes"
EMPLOYMENT_RATE = "taux"
EXPECTED_RATE = "taux_attendu"
VALUE_ADDED = "valeur_ajoutee"
SHARE_FURTHER_STUDY = "part_en_poursuite_d_etudes"
SHARE_EMPLOYED = "part_en_emploi_6_mois_apres_la_sortie"
SHARE_OTHER = "part_des_autres_situations"

# Named header cell (stripped) -> raw column: the source header in lowercase ASCII snake_case.
NAMED_HEADERS: dict[str, str] = {
    "n°UAI de l'établissement": UAI,
    "Libellé de l'établissement": LABEL,
    "Région": REGION,
    "Dont apprentis en EPLE": POPULATION,
    "Taux de poursuite d'études": FURTHER_STUDY_RATE,
    "Taux": EMPLOYMENT_RATE,
    "Taux attendu": EXPECTED_RATE,
    "Valeur ajoutée": VALUE_ADDED,
    "Part en poursuite d'études": SHARE_FURTHER_STUDY,
    "Part en emploi 6 mois après la sortie": SHARE_EMPLOYED,
    "Part des autres situations": SHARE_OTHER,
}
REQUIRED_HEADERS = [UAI, LABEL, REGION, EMPLOYMENT_RATE, EXPECTED_RATE, VALUE_ADDED]

_OLD_START = [UAI, LABEL, REGION]
_OLD_RATES = [FURTHER_STUDY_RATE, EMPLOYMENT_RATE, EXPECTED_RATE, VALUE_ADDED]
_LATER_RATES = ["unlabelled_col_9", "unlabelled_col_10", "unlabelled_col_11"]

# (filière, number of header cells) -> raw column at each position, for headers with blank cells.
POSITIONAL_LAYOUTS: dict[tuple[str, int], list[str]] = {
    # 2018_2019
    ("pro", 11): [*_OLD_START, POPULATION, *_OLD_RATES, *_LATER_RATES],
    ("apprentissage", 11): [*_OLD_START, "unlabelled_col_4", *_OLD_RATES, *_LATER_RATES],
    # 2019_2020 (the apprentissage file keeps the population cell, always empty)
    ("pro", 9): [*_OLD_START, POPULATION, *_OLD_RATES, _LATER_RATES[0]],
    ("apprentissage", 9): [*_OLD_START, POPULATION, *_OLD_RATES, _LATER_RATES[0]],
}

RATE_COLUMNS = [
    FURTHER_STUDY_RATE,
    EMPLOYMENT_RATE,
    EXPECTED_RATE,
    VALUE_ADDED,
    SHARE_FURTHER_STUDY,
    SHARE_EMPLOYED,
    SHARE_OTHER,
    "unlabelled_col_4",
    *_LATER_RATES,
]

SCHEMA: list[Column] = [
    Column("millesime", required=True),
    Column("filiere", required=True),
    Column(UAI, required=True),
    Column(LABEL),
    Column(REGION, required=True),
    Column(POPULATION),
    *[Column(name, "float", null_values=NOT_RELEASED) for name in RATE_COLUMNS],
]

DESCRIPTION = (
    "One row per (millésime, filière, establishment UAI, population): InserJeunes indicators of "
    "lycées professionnels (filiere 'pro', up to 3 rows per UAI: 'ensemble', 'dont apprentis', "
    "'dont élèves en voie pro sco') and CFA (filiere 'apprentissage', one row per UAI, "
    "population NULL): further-study rate, observed and expected employment rate 6 months "
    "after leaving, value added, and the shares in further study, employment and other "
    "situations, percent; "
    "'nd' (not released) is NULL. Millésimes 2018_2019 to 2022_2023 (10 files, 33,619 rows). "
    "Source: DEPP / DARES InserJeunes via mission-apprentissage/trajectoires-pro."
)


def _is_blank(header: str) -> bool:
    # pandas names a blank header cell "Unnamed: <index>".
    return header.startswith("Unnamed: ") or header == ""


def _header_mapping(path: Path, filiere: str, headers: list[str]) -> tuple[dict[str, str], str]:
    """Raw column for each header cell, and how it was found ('by name' or 'by position')."""
    unknown = [h for h in headers if not _is_blank(h) and h not in NAMED_HEADERS]
    if unknown:
        raise SourceFileError(
            path,
            "header",
            f"InserJeunes column names {sorted(NAMED_HEADERS)}",
            f"unknown {unknown}",
        )
    if not any(_is_blank(h) for h in headers):
        mapping = {h: NAMED_HEADERS[h] for h in headers}
        missing = [name for name in REQUIRED_HEADERS if name not in mapping.values()]
        if missing:
            raise SourceFileError(path, "header", f"columns {missing}", f"columns {headers}")
        return mapping, "by name"
    layout = POSITIONAL_LAYOUTS.get((filiere, len(headers)))
    if layout is None:
        known = sorted(n for f, n in POSITIONAL_LAYOUTS if f == filiere)
        raise SourceFileError(
            path,
            "header",
            f"a header with blank cells of {known} cells (the {filiere} layouts of 2018-2020)",
            f"{len(headers)} cells: {headers}",
        )
    for position, (header, expected) in enumerate(zip(headers, layout, strict=True), start=1):
        if not _is_blank(header) and NAMED_HEADERS[header] != expected:
            raise SourceFileError(
                path,
                f"header cell {position}",
                f"{expected!r} at this position of the {len(headers)}-cell {filiere} layout",
                repr(header),
            )
    return dict(zip(headers, layout, strict=True)), "by position"


def parse_file(path: Path) -> ParsedTable:
    name = path.name.removesuffix(".gz")
    match = _FILE_NAME.match(name)
    if match is None:
        raise SourceFileError(path, "file name", "depp-YYYY-etablissements-YYYY_YYYY-(pro|apprentissage).csv", name)
    millesime, filiere = match.groups()
    frame, encoding = read_delimited(path, separator=";")
    headers = [c for c in frame.columns if c not in (SOURCE_FILE, ROW_NUMBER)]
    mapping, how = _header_mapping(path, filiere, headers)
    frame = frame.rename(columns=mapping)
    for column in SCHEMA:
        if column.name not in frame.columns:
            frame[column.name] = pd.NA
    frame["millesime"] = millesime
    frame["filiere"] = filiere
    rows, rejects = apply_schema(frame, SCHEMA)
    return ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: encoding},
        notes={f"header_{millesime}_{filiere}": f"mapped {how}"},
    )


def parse_establishments(snapshot_dir: Path) -> ParsedTable:
    return ParsedTable.combine([parse_file(path) for path in snapshot_files(snapshot_dir, FOLDER, FILE_PATTERN)])


# Rates and shares are percentages; the value added (observed minus expected rate) may be negative.
RULES = TableRules(row_rules=tuple(between(name, 0, 100) for name in RATE_COLUMNS if name.startswith(("taux", "part"))))

TABLES: list[RawTable] = [RawTable(SOURCE, "establishments", DESCRIPTION, parse_establishments, SCHEMA, RULES)]
