"""Réseau des Carif-Oref (RCO) apprenticeship offers: the national flow and the "Offre Info" extraction.

Three real files, bundled under ``training_rco_apprentissage_2020/`` and ``training_catalogue/``:

- the national apprenticeship flow of November 2020 (CSV made from the Mission apprentissage
  mongodump, 39,510 actions, one row per action; no title, no ROME code);
- the "Offre Info" extraction of 2020-06-25 (CSV made from the RCO xlsx, 7,470 rows; titles, hours);
- a JSON extract of the same flow (231 actions in PACA), the format the flow is served in.

The CSV copies carry columns computed when they were collected (COG 2024 region, Kit v1.4 RNCP and
ROME joins). They are an answer key, not an input: the parsers drop them before typing, so they
reach neither the raw zone nor quarantine; ``tests/unit/test_training_oracle.py`` reads them
straight from the files to check the pipeline's own joins.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.accounting import note_records
from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.documents import records_frame
from ingestion.readers.files import read_delimited, read_json, snapshot_file
from ingestion.rules import COMMUNE_CODE, RNCP_CODE, TableRules, inside_france, matches, non_negative, not_in_future
from ingestion.tables import ParsedTable, RawTable

SOURCE = "rco"
FOLDER = "training_rco_apprentissage_2020"
JSON_FOLDER = "training_catalogue"
FLOW_FILE = "DERIVED_rco_formations_apprentissage_2020-11_national.csv"
OFFRE_INFO_FILE = "DERIVED_rco_offre_info_apprentissage_2020-06-25_nomail.csv"
FLOW_JSON_FILE = "rco_catalogue_apprentissage_extract_2020-11.json"

# Join columns (COG 2024 codes) added to the copies for checking joins, not published by RCO: an
# answer key, never landed.
FLOW_ORACLE_COLUMNS = (
    "lieu_reg_cog2024",
    "lieu_dep_cog2024",
    "lieu_geo_match",
    "rncp_via_cfd_kit_v1_4",
    "rncp_used",
    "intitule_rncp_kit_v1_4",
    "niveau_europe",
    "intitule_cfd_kit_v1_4",
    "rome_codes_via_rncp_kit_v1_4",
)
OFFRE_INFO_ORACLE_COLUMNS = (
    "rncp_norm",
    "rncp_via_cfd_kit_v1_4",
    "rome_codes_via_rncp_kit_v1_4",
    "lieu_reg_cog2024",
    "lieu_dep_cog2024",
)

_ESTABLISHMENT_COLUMNS = [
    f"etablissement_{role}_{field}"
    for role, fields in (
        ("lieu_formation", ("siret", "uai", "adresse", "code_postal", "code_insee", "geo_coordonnees")),
        ("formateur", ("siret", "uai", "code_postal", "code_insee")),
        ("gestionnaire", ("siret", "uai", "code_postal", "code_insee")),
    )
    for field in fields
]

_ACTION_COLUMNS: list[Column] = columns(
    Column("id_formation", required=True),
    Column("id_action", required=True),
    "id_certifinfo",
    "cfd",
    "rncp_code",
    Column("capacite", "int"),
    "periode",
)
_COORDINATE_COLUMNS = [Column("lieu_formation_latitude", "float"), Column("lieu_formation_longitude", "float")]

FLOW_SCHEMA: list[Column] = [
    *_ACTION_COLUMNS,
    Column("published", "bool"),
    *columns(*_ESTABLISHMENT_COLUMNS),
    *_COORDINATE_COLUMNS,
    # Microseconds are present on most rows only: ISO 8601 without a fixed pattern.
    Column("created_at", "timestamp", date_format="ISO8601"),
    Column("last_update_at", "timestamp", date_format="ISO8601"),
]
# Every column of the flow file except the derived coordinates: all must be in the header.
FLOW_SOURCE_COLUMNS = [spec.source_name for spec in FLOW_SCHEMA if spec not in _COORDINATE_COLUMNS]

# The JSON flow (RCO catalogue API format) has no published flag nor timestamps, and a few more fields.
# Its e-mail and courriel fields are contacts: never read.
FLOW_JSON_SCHEMA: list[Column] = [
    *_ACTION_COLUMNS,
    *columns(*_ESTABLISHMENT_COLUMNS),
    *_COORDINATE_COLUMNS,
    *columns(
        "intitule_formation",
        Column("entierement_a_distance", "bool"),
        "duree",
        "niveau_entree_obligatoire",
        "cle_ministere_educatif",
        "entree_apprentissage",
        "lieu_different",
        "parcours",
    ),
]

# Offre Info headers embed LHEO tags and doubled apostrophes: mapped one by one.
OFFRE_INFO_SCHEMA: list[Column] = [
    Column("code_region", source="code-region"),
    Column("intitule_region", source="intitule-region"),
    Column("numero_fo", source="numeroFO", required=True),
    Column("numero_af", source="numeroAf", required=True),
    Column("nom_formation", source="Nom de la formation"),
    Column("code_certifinfo", source="code-CERTIFINFO"),
    Column("diplome_ou_titre_vise", source="Diplôme ou titre visé"),
    Column("intitule_diplome", source="Intitulé du diplôme ou titre"),
    Column("code_scolarite", source="Code scolarité"),
    Column("code_niveau_en", source="code niveau EN"),
    Column("nom_niveau_en", source="nom niveau EN"),
    Column("code_niveau_europeen", source="code niveau européen"),
    Column("nom_niveau_europeen", source="nom niveau européen"),
    Column("cfa_responsable_nom", source="CFA-OFA responsable_nom"),
    Column("cfa_raison_sociale", source="CFA-OFA raison sociale"),
    Column("cfa_siret", source="CFA-OFA SIRET (ORESP)"),
    Column("formateur_siret", source="formateur_SIRET"),
    Column("formateur_raison_sociale", source="formateur_RS"),
    Column("modalites_entrees_sorties", source="modalites-entrees-sorties"),
    Column("periodes_entree", source="Périodes d'entrée"),
    Column("uai_lieu_formation", source="UAI localisation formation (ORESP) map fichier UAI-SIRET Onisep-CO"),
    Column("code_postal_lieu", source="code postal lieu"),
    Column("code_insee_lieu", source="code INSEE lieu"),
    # Free text in the source ('10.5', '8,12,5'): kept as text so that it never rejects an action.
    Column("capacite_accueil", source="Capacité d'accueil de la formation--pas Lheo"),
    Column("identifiant_session", source="identifiant session--<session numero =...>"),
    Column("code_rncp", source="code-RNCP--<code-RNCP>"),
    Column("nombre_heures_total", "int", source="nombre total d''heures de AF--<nombre-heures-total>"),
    Column("cas", source="CAS"),
    Column("cas_libelle", source="CAS libellé"),
]


def _split_coordinates(frame: pd.DataFrame, column: str, prefix: str) -> pd.DataFrame:
    # "lat,lon" in one cell: two text columns, typed (and checked) by apply_schema.
    parts = frame[column].astype("string").str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        parts[1] = pd.NA
    frame[f"{prefix}_latitude"] = parts[0].str.strip()
    frame[f"{prefix}_longitude"] = parts[1].str.strip()
    return frame


def _drop_oracle(frame: pd.DataFrame, oracle: tuple[str, ...]) -> tuple[pd.DataFrame, list[str]]:
    present = [column for column in oracle if column in frame.columns]
    return frame.drop(columns=present), present


def parse_flow_csv(path: Path) -> ParsedTable:
    """The national apprenticeship flow copy (CSV): one row per action, oracle columns dropped."""
    frame, encoding = read_delimited(path, expected_columns=FLOW_SOURCE_COLUMNS)
    frame, dropped = _drop_oracle(frame, FLOW_ORACLE_COLUMNS)
    frame = _split_coordinates(frame, "etablissement_lieu_formation_geo_coordonnees", "lieu_formation")
    rows, rejects = apply_schema(frame, FLOW_SCHEMA)
    return ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: encoding},
        notes={"oracle_columns_dropped": ", ".join(dropped) or "none"},
    )


def parse_offre_info(path: Path) -> ParsedTable:
    """The Offre Info extraction copy (CSV, CRLF): one row per action session, oracle columns dropped."""
    frame, encoding = read_delimited(path, expected_columns=[spec.source_name for spec in OFFRE_INFO_SCHEMA])
    frame, dropped = _drop_oracle(frame, OFFRE_INFO_ORACLE_COLUMNS)
    rows, rejects = apply_schema(frame, OFFRE_INFO_SCHEMA)
    return ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: encoding},
        notes={"oracle_columns_dropped": ", ".join(dropped) or "none"},
    )


def parse_flow_json(path: Path) -> ParsedTable:
    """The flow as served (a JSON array of actions); ``email`` (a contact address) is never read."""
    records, encoding = read_json(path)
    if isinstance(records, list):
        note_records(path, len(records), "JSON array elements")
    if isinstance(records, list) and records and isinstance(records[0], dict) and "id_action" not in records[0]:
        raise SourceFileError(path, "[0]", "an RCO action object with 'id_action'", f"keys {sorted(records[0])[:8]}")
    source_fields = [spec.source_name for spec in FLOW_JSON_SCHEMA if spec not in _COORDINATE_COLUMNS]
    frame = records_frame(path, records, source_fields)
    frame = _split_coordinates(frame, "etablissement_lieu_formation_geo_coordonnees", "lieu_formation")
    rows, rejects = apply_schema(frame, FLOW_JSON_SCHEMA)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


_FLOW_RULES = (
    matches("etablissement_lieu_formation_code_insee", COMMUNE_CODE, "commune_code"),
    matches("rncp_code", RNCP_CODE, "rncp_code"),
    inside_france("lieu_formation_latitude", "lieu_formation_longitude"),
)
RULES: dict[str, TableRules] = {
    "apprenticeship_actions": TableRules(
        row_rules=(*_FLOW_RULES, not_in_future("created_at"), not_in_future("last_update_at"))
    ),
    "offre_info_actions": TableRules(row_rules=non_negative("nombre_heures_total")),
    "flow_json_actions": TableRules(unique=("id_action",), row_rules=_FLOW_RULES),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "apprenticeship_actions",
        "One row per apprenticeship training action of the RCO national flow of November 2020 "
        "(39,510 actions, all regions; place of training with INSEE code and coordinates, CFD, RNCP, "
        "entry months, published flag). No title and no ROME code in the flow. Source: Réseau des "
        "Carif-Oref via the Mission apprentissage catalogue dump; collection-time join columns dropped.",
        lambda snapshot_dir: parse_flow_csv(snapshot_file(snapshot_dir, FOLDER, FLOW_FILE)),
        FLOW_SCHEMA,
        RULES["apprenticeship_actions"],
    ),
    RawTable(
        SOURCE,
        "offre_info_actions",
        "One row per apprenticeship action session of the RCO 'Offre Info' extraction of 2020-06-25 "
        "(7,470 rows, 14 regions): training title, diploma, CFD, RNCP digits, levels, organisations, "
        "INSEE code of the place, total hours. Source: Réseau des Carif-Oref; collection-time join "
        "columns dropped.",
        lambda snapshot_dir: parse_offre_info(snapshot_file(snapshot_dir, FOLDER, OFFRE_INFO_FILE)),
        OFFRE_INFO_SCHEMA,
        RULES["offre_info_actions"],
    ),
    RawTable(
        SOURCE,
        "flow_json_actions",
        "One row per apprenticeship action of a JSON extract of the RCO flow (November 2020, 231 "
        "actions in Provence-Alpes-Côte d'Azur), the format the flow is served in. Source: Réseau des "
        "Carif-Oref via the Mission apprentissage catalogue test assets.",
        lambda snapshot_dir: parse_flow_json(snapshot_file(snapshot_dir, JSON_FOLDER, FLOW_JSON_FILE)),
        FLOW_JSON_SCHEMA,
        RULES["flow_json_actions"],
    ),
]
