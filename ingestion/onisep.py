"""Onisep Idéo: the list of initial-education formations, and Onisep métiers mapped to ROME v3.

- ``formations_initiales``: 6,086 formations (a list of diplomas, with no place: not training
  actions), ``;``, UTF-8 with BOM; ``code RNCP`` holds digits without the ``RNCP`` prefix.
- ``metier_rome``: 963 (Onisep métier, ROME v3 code) rows, ``;``, CRLF.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.documents import snake_case
from ingestion.readers.files import snapshot_file
from ingestion.rules import ROME_CODE, TableRules, between, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "onisep"
FOLDER = "training_catalogue"
FORMATIONS_FILE = "onisep_ideo_formations_initiales_en_france_2022.csv"
METIER_ROME_FILE = "onisep_metier_rome_v3.csv"


def _schema(headers: list[str], types: dict[str, str] | None = None, required: tuple[str, ...] = ()) -> list[Column]:
    types = types or {}
    return [
        Column(snake_case(header), types.get(header, "string"), source=header, required=header in required)  # type: ignore[arg-type]
        for header in headers
    ]


FORMATIONS_SCHEMA = _schema(
    [
        "code CNIS",
        "sigle type formation",
        "libellé type formation",
        "libellé formation principal",
        "sigle formation",
        "durée",
        "code RNCP",
        "niveau RNCP",
        "libellé niveau RNCP",
        "tutelle",
        "lien site onisep.fr",
        "domaine/sous-domaine",
    ],
    types={"niveau RNCP": "int"},
    required=("libellé formation principal", "lien site onisep.fr"),
)
METIER_ROME_SCHEMA = _schema(
    [
        "Code ROME",
        "libellé métier onisep",
        "lien site onisep.fr",
        "Lib_ROME_FT",
        "lien site FT",
        "transitionEcologique",
        "transitionEcologiqueDetaillee",
        "transitionNumerique",
        "transitionDemographique",
    ],
    required=("Code ROME",),  # 149 rows name a ROME code with no Onisep métier: kept
)


def parse_formations(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, FORMATIONS_FILE), FORMATIONS_SCHEMA, separator=";")


def parse_metier_rome(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, METIER_ROME_FILE), METIER_ROME_SCHEMA, separator=";")


RULES: dict[str, TableRules] = {
    "formations_initiales": TableRules(unique=("lien_site_onisep_fr",), row_rules=(between("niveau_rncp", 0, 8),)),
    "metier_rome": TableRules(row_rules=(matches("code_rome", ROME_CODE, "rome_code"),)),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "formations_initiales",
        "One row per initial-education formation listed by Onisep Idéo (2022; 6,086 rows): type, title, "
        "duration, RNCP code (digits) and level, supervising ministry, Onisep link, domain. A list of "
        "diplomas, not of training actions: no place, no dates.",
        parse_formations,
        FORMATIONS_SCHEMA,
        RULES["formations_initiales"],
    ),
    RawTable(
        SOURCE,
        "metier_rome",
        "One row per (Onisep métier, ROME v3 code) (963 rows, 521 ROME codes, 814 métiers), with the "
        "France Travail label and transition flags. Source: Onisep Idéo-Métiers.",
        parse_metier_rome,
        METIER_ROME_SCHEMA,
        RULES["metier_rome"],
    ),
]
