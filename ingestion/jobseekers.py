"""Jobseekers (DEFM) per commune and month, 2020-2024, as exported by dataforgoodfr/13_odis from
France Travail's STMT statistics ("communes de plus de 5 000 habitants").

The month is published as a French month name and year (``janvier_2020``); the parser keeps that
label raw in ``year`` (the header's name) and adds ``month``, the first day of that month, typed.
``codgeo`` mixes levels: commune codes (5 characters), département codes (``01``, ``971``) and
region codes (``reg44``); staging tells them apart.

Known defect of the published file, kept as is: 3,000 (codgeo, month) keys occur two or three
times (6,240 rows, 3,240 more than one per key), often with different values (``54395``,
``decembre_2024``: 10,100 and 2,710). The source does not say which is right, so every row lands;
staging flags them (``is_duplicated_key``) instead of choosing.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column, apply_schema, columns
from ingestion.readers.files import read_delimited, snapshot_file
from ingestion.rules import TableRules, non_negative, not_in_future
from ingestion.tables import ParsedTable, RawTable

SOURCE = "jobseekers"
FOLDER = "jobseekers_defm"
FILE_NAME = "odis_emploi_demandeur_communes_2020-2024.csv"

FRENCH_MONTHS = {
    "janvier": "01",
    "fevrier": "02",
    "mars": "03",
    "avril": "04",
    "mai": "05",
    "juin": "06",
    "juillet": "07",
    "aout": "08",
    "septembre": "09",
    "octobre": "10",
    "novembre": "11",
    "decembre": "12",
}

SCHEMA: list[Column] = columns(
    Column("codgeo", required=True),
    Column("year", source="YEAR", required=True),
    Column("month", "date", required=True),
    Column("demandeurs_emploi", "int", source="Demandeurs_Emploi", required=True, minimum=0),
)


def parse(snapshot_dir: Path) -> ParsedTable:
    path = snapshot_file(snapshot_dir, FOLDER, FILE_NAME)
    frame, encoding = read_delimited(path, expected_columns=["codgeo", "YEAR", "Demandeurs_Emploi"])
    label = frame["YEAR"].str.strip().str.lower()
    parts = label.str.extract(r"^(?P<name>[a-z]+)_(?P<year>\d{4})$")
    number = parts["name"].map(FRENCH_MONTHS)
    # A label that is not "<French month>_<year>" stays as found, so its reject reason shows it.
    frame["month"] = (parts["year"] + "-" + number + "-01").fillna(frame["YEAR"])
    rows, rejects = apply_schema(frame, SCHEMA)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


RULES = TableRules(row_rules=(*non_negative("demandeurs_emploi"), not_in_future("month")))

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "jobseekers_by_commune",
        "One row per (territory code, month) line of the file (147,420), January 2020 to December "
        "2024: registered jobseekers (category not stated by the publisher); territory codes are "
        "communes over 5,000 inhabitants, départements and régions; 3,000 keys are duplicated with "
        "different values and all land. Source: France Travail STMT via dataforgoodfr/13_odis, "
        "odis_emploi_demandeur_communes_2020-2024.csv.",
        parse,
        SCHEMA,
        RULES,
    )
]
