"""Mon Compte Formation catalogue (Caisse des Dépôts): the CPF training offer, by training and region.

NO REAL COPY IS BUNDLED. This parser follows the column list of the Opendatasoft export (';'
separated, one row per training action and region; the columns are listed in SCHEMA below),
consistent across several third-party repositories that read the Opendatasoft export
``moncompteformation_catalogueformation``. It is tested only on a small file written in that format
by ``tests/unit/test_training_mon_compte_formation.py``. Because the bundled snapshot has no such
file, ``TABLES`` is empty: :data:`LIVE_TABLE` is landed only with PASSERELLE_OPEN_DATA_SOURCE=download,
once the regional export is downloaded into ``mon_compte_formation/`` (ingestion.downloads).

Known variants handled: ``date_extract`` or ``date_chargement``; ``siret`` or ``siret_of``;
``code_rome_1..5`` only in newer exports; ``;`` (Opendatasoft CSV) or ``,`` separators.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.files import decode, read_delimited, snapshot_files
from ingestion.tables import ParsedTable, RawTable

SOURCE = "mon_compte_formation"
FOLDER = "mon_compte_formation"
PATTERN = "*.csv"

# Older exports name two columns differently: renamed to the newer names before typing.
ALIASES = {"date_chargement": "date_extract", "siret_of": "siret"}
REQUIRED = ("numero_formation", "intitule_formation", "siret", "nom_of", "code_region")
OPTIONAL_PREFIXES = ("code_rome_",)

SCHEMA: list[Column] = columns(
    "date_extract",
    Column("nom_of", required=True),
    Column("siret", required=True),
    Column("numero_formation", required=True),
    Column("intitule_formation", required=True),
    "points_forts",
    "objectif_formation",
    "contenu_formation",
    "resultats_attendus_formation",
    "type_referentiel",
    "code_rncp",
    "code_rs",
    "code_inventaire",
    "code_certifinfo",
    "intitule_certification",
    "libelle_niveau_sortie_formation",
    *(f"code_formacode_{i}" for i in range(1, 6)),
    "libelle_code_formacode_principal",
    *(f"code_rome_{i}" for i in range(1, 6)),
    *(f"code_nsf_{i}" for i in range(1, 4)),
    *(f"libelle_nsf_{i}" for i in range(1, 4)),
    Column("nb_action", "int"),
    Column("nb_session_active", "int"),
    Column("nb_session_a_distance", "int"),
    Column("nombre_heures_total_min", "float"),
    Column("nombre_heures_total_max", "float"),
    Column("nombre_heures_total_mean", "float"),
    Column("frais_ttc_tot_min", "float"),
    Column("frais_ttc_tot_max", "float"),
    Column("frais_ttc_tot_mean", "float"),
    "nom_region",
    "code_region",
    "nom_departement",
    "code_departement",
    "coderegion_export",
    "nbaction_nbheures",
)


def parse_catalogue_file(path: Path) -> ParsedTable:
    """One export file: one row per (training, region) as the Opendatasoft export publishes it."""
    first_line = decode(path).text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    frame, encoding = read_delimited(path, separator=separator)
    frame = frame.rename(
        columns={old: new for old, new in ALIASES.items() if old in frame.columns and new not in frame.columns}
    )
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        raise SourceFileError(
            path, "header", f"the Mon Compte Formation columns {missing}", f"columns {list(frame.columns)[2:]}"
        )
    # Columns documented but absent from a given export vintage (code_rome_*, volumes) become NULL.
    for spec in SCHEMA:
        if spec.source_name not in frame.columns:
            frame[spec.source_name] = pd.NA
    rows, rejects = apply_schema(frame, SCHEMA)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


def parse_catalogue(snapshot_dir: Path) -> ParsedTable:
    return ParsedTable.combine([parse_catalogue_file(path) for path in snapshot_files(snapshot_dir, FOLDER, PATTERN)])


LIVE_TABLE = RawTable(
    SOURCE,
    "catalogue",
    "One row per (CPF training, region) of the Mon Compte Formation catalogue export (Caisse des Dépôts, "
    "Opendatasoft moncompteformation_catalogueformation): provider, title, objectives and content, "
    "certification (RNCP, RS), Formacode, ROME and NSF codes, actions, hours and prices.",
    parse_catalogue,
)

# No bundled copy: nothing to land in snapshot mode (see the module docstring).
TABLES: list[RawTable] = []
