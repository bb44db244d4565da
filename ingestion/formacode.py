"""Formacode (Centre Inffo): the V12 to V13 correspondence, and a ROME v3 to Formacode extract.

- ``v12_v13``: Centre Inffo's table, tab-separated, every field quoted, no header, CRLF (3,404 rows;
  named ``.xls`` at its source though it is text). ``statut`` is undocumented (N/R/C/S).
- ``rome_formacode``: 56 real (ROME v3, Formacode) pairs for 9 ROME codes, parsed from the first
  page of Centre Inffo's "Formacode 11.0 - ROME > Formacode" PDF. The only ROME-Formacode table
  bundled: enough to exercise the Formacode link method, far from a full correspondence.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column, columns
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import snapshot_file
from ingestion.rules import ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "formacode"
FOLDER = "formacode"
V12_V13_FILE = "formacode_V12_V13_correspondance.tsv"
ROME_FILE = "DERIVED_bob_emploi_rome_formacode_extract.csv"
V12_V13_COLUMNS = ["statut", "code_v12", "libelle_v12", "code_v13", "libelle_v13", "flag"]

# The 40 "C" (created) rows have no V12 code: a V13 code only.
V12_V13_SCHEMA = columns(Column("statut", required=True), "code_v12", "libelle_v12", "code_v13", "libelle_v13", "flag")
ROME_SCHEMA = columns(
    Column("code_rome_v3", required=True),
    "libelle_rome_v3",
    Column("formacode", required=True),
    "formacode_libelle_upper",
)


def parse_v12_v13(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(
        snapshot_file(snapshot_dir, FOLDER, V12_V13_FILE), V12_V13_SCHEMA, separator="\t", column_names=V12_V13_COLUMNS
    )


def parse_rome_formacode(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, ROME_FILE), ROME_SCHEMA)


RULES: dict[str, TableRules] = {
    "v12_v13": TableRules(),
    "rome_formacode": TableRules(
        unique=("code_rome_v3", "formacode"), row_rules=(matches("code_rome_v3", ROME_CODE, "rome_code"),)
    ),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "v12_v13",
        "One row per Formacode V12 code with its V13 code (3,404 rows, 3,385 distinct V13 codes; 7 'S' rows "
        "have none), labels and status. Source: Centre Inffo Formacode V12 to V13 correspondence.",
        parse_v12_v13,
        V12_V13_SCHEMA,
        RULES["v12_v13"],
    ),
    RawTable(
        SOURCE,
        "rome_formacode",
        "One row per (ROME v3 code, Formacode) pair of an extract of Centre Inffo's 'Formacode 11.0 - ROME > "
        "Formacode' table (56 pairs, 9 ROME codes): a partial correspondence, enough for the Formacode link method.",
        parse_rome_formacode,
        ROME_SCHEMA,
        RULES["rome_formacode"],
    ),
]
