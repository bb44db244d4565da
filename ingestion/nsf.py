"""NSF, the Nomenclature des spécialités de formation (INSEE/CNIS 1994): 92 groupes de spécialités.

UTF-8 with BOM, CRLF. The 3-digit code joins BCN ``GROUPE_SPECIALITE``, the RNCP export ``Nsf_Code``
(first 3 characters) and the CPF ``code_nsf_*`` fields.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import snapshot_file
from ingestion.rules import TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "nsf"
FOLDER = "nsf"
FILE = "nsf_groupes_specialites_index_formations.csv"
SCHEMA = [Column("codformation", required=True), Column("libformation", required=True)]


def parse_groupes(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, FILE), SCHEMA)


RULES = TableRules(unique=("codformation",), row_rules=(matches("codformation", r"^\d{3}$", "nsf_code"),))

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "groupes_specialites",
        "One row per NSF groupe de spécialités (92 three-digit codes, 100 to 423) with its label. "
        "Source: INSEE/CNIS Nomenclature des spécialités de formation, 1994.",
        parse_groupes,
        SCHEMA,
        RULES,
    )
]
