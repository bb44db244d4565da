"""A sample of an older CPF (Mon Compte Formation) API extract: trainings with their nearby ROME codes.

22 rows (comma, UTF-8, quoted multi-line cells), one per (training, "proximity" ROME code):
title, ROME code, duration in hours, total price, postcode of the training, conditions and teaching
mode. The extract has no training identifier; the trainings mart groups rows by title, duration,
price and postcode. One row ("Training without a ROME", an obvious test row of the bob-emploi fixture) has no ROME code.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import snapshot_file
from ingestion.rules import ROME_CODE, TableRules, matches, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "cpf"
FOLDER = "formation_samples"
FILE = "bob_cpf_trainings_sample.csv"

SCHEMA = [
    Column("formation_title", source="formation.title", required=True),
    Column("formation_proximite_romes_code", source="formation.proximiteRomes.code"),
    Column("duration", "int"),
    Column("total_price_ttc", "float", source="totalPriceTTC"),
    Column("address_postal_code", source="address.postalCode"),
    Column("formation_specific_condition", source="formation.specificCondition"),
    Column("formation_code_modalite_enseign", source="formation.codeModaliteEnseign"),
]


def parse_sample(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, FILE), SCHEMA)


RULES = TableRules(
    row_rules=(
        matches("formation_proximite_romes_code", ROME_CODE, "rome_code"),
        *non_negative("duration", "total_price_ttc"),
    )
)

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "training_romes",
        "One row per (CPF training, proximity ROME code) of an older CPF API extract (22 rows, 8 trainings): "
        "title, duration, total price, postcode, teaching mode. Source: Caisse des Dépôts CPF API via the "
        "bob-emploi test data.",
        parse_sample,
        SCHEMA,
        RULES,
    )
]
