"""The enriched apprenticeship catalogue (Mission apprentissage / api.apprentissage / La Bonne Alternance).

A JSON page ``{"formations": [...], "pagination": {...}}`` whose formations already carry
``rome_codes`` (the catalogue's own CFD/RNCP to ROME join), place of training and establishments.
The bundled file is a 2-formation fixture of that format (Nouvelle-Aquitaine). ROME codes land in
a child table, one row per (formation, code), in the catalogue's order. Contact fields
(``*_courriel``) are never read.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.accounting import note_records
from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.documents import records_frame
from ingestion.readers.files import read_json, snapshot_files, with_provenance
from ingestion.rules import COMMUNE_CODE, RNCP_CODE, ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "catalogue_apprentissage"
FOLDER = "training_catalogue"
PATTERN = "*catalogue_apprentissage_formations*.json"

FORMATION_SCHEMA = columns(
    Column("id", required=True),
    "id_rco_formation",
    "id_formation",
    "id_action",
    "id_certifinfo",
    "cle_ministere_educatif",
    "cfd",
    "rncp_code",
    "rncp_intitule",
    "intitule_long",
    "intitule_court",
    "intitule_rco",
    "diplome",
    "niveau",
    "code_postal",
    "code_commune_insee",
    "num_departement",
    "nom_departement",
    "region",
    "localite",
    "lieu_formation_adresse",
    "lieu_formation_geo_coordonnees",
    "etablissement_formateur_siret",
    "etablissement_formateur_enseigne",
    "etablissement_formateur_entreprise_raison_sociale",
    "etablissement_gestionnaire_siret",
    "etablissement_gestionnaire_entreprise_raison_sociale",
    "periode",
    "date_debut",
    "date_fin",
    "duree",
    Column("published", "bool"),
    Column("catalogue_published", "bool"),
    "rome_codes",
    Column("created_at", "timestamp", date_format="ISO8601"),
    Column("last_update_at", "timestamp", date_format="ISO8601"),
)
ROME_SCHEMA = columns(
    Column("formation_id", required=True), Column("position", "int"), Column("rome_code", required=True)
)


def _pages(snapshot_dir: Path) -> list[tuple[Path, list[dict[str, object]], str]]:
    pages = []
    for path in snapshot_files(snapshot_dir, FOLDER, PATTERN):
        document, encoding = read_json(path)
        if not isinstance(document, dict) or "formations" not in document:
            found = f"keys {sorted(document)[:8]}" if isinstance(document, dict) else type(document).__name__
            raise SourceFileError(path, "top level", "an object with a 'formations' array", found)
        formations = document["formations"]
        if not isinstance(formations, list):
            raise SourceFileError(path, "formations", "a JSON array of formations", type(formations).__name__)
        note_records(path, len(formations), "JSON 'formations' array elements")
        pages.append((path, formations, encoding))
    return pages


def parse_formations(snapshot_dir: Path) -> ParsedTable:
    parts = []
    for path, formations, encoding in _pages(snapshot_dir):
        frame = records_frame(path, formations, [spec.source_name for spec in FORMATION_SCHEMA], "formations")
        rows, rejects = apply_schema(frame, FORMATION_SCHEMA)
        parts.append(ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding}))
    return ParsedTable.combine(parts)


def parse_rome_codes(snapshot_dir: Path) -> ParsedTable:
    parts = []
    for path, formations, encoding in _pages(snapshot_dir):
        # The formation's own position in the file is the provenance row number of each code.
        records = [
            (index, {"formation_id": formation.get("id"), "position": str(position), "rome_code": code})
            for index, formation in enumerate(formations, start=1)
            if isinstance(formation, dict)
            for position, code in enumerate(formation.get("rome_codes") or [], start=1)
        ]
        frame = pd.DataFrame(
            [record for _, record in records], columns=["formation_id", "position", "rome_code"], dtype="string"
        )
        frame = with_provenance(frame, path, [index for index, _ in records])
        rows, rejects = apply_schema(frame, ROME_SCHEMA)
        codes = sum(len(formation.get("rome_codes") or []) for formation in formations if isinstance(formation, dict))
        parts.append(
            ParsedTable(
                rows=rows,
                rejects=rejects,
                files=[path],
                encodings={path.name: encoding},
                records_read=codes,
                counted_as="elements of the formations' rome_codes arrays",
            )
        )
    return ParsedTable.combine(parts)


RULES: dict[str, TableRules] = {
    "formations": TableRules(
        unique=("id",),
        row_rules=(
            matches("code_commune_insee", COMMUNE_CODE, "commune_code"),
            matches("rncp_code", RNCP_CODE, "rncp_code"),
        ),
    ),
    "formation_rome_codes": TableRules(
        unique=("formation_id", "position"), row_rules=(matches("rome_code", ROME_CODE, "rome_code"),)
    ),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "formations",
        "One row per formation of the enriched apprenticeship catalogue (api.apprentissage format): CFD, RNCP, "
        "titles, place of training (INSEE code, coordinates), establishments, dates, and its ROME codes "
        "(';'-joined). Bundled: a 2-formation fixture. Source: Mission apprentissage catalogue.",
        parse_formations,
        FORMATION_SCHEMA,
        RULES["formations"],
    ),
    RawTable(
        SOURCE,
        "formation_rome_codes",
        "One row per (formation, ROME code) of the enriched apprenticeship catalogue, in the catalogue's order.",
        parse_rome_codes,
        ROME_SCHEMA,
        RULES["formation_rome_codes"],
    ),
]
