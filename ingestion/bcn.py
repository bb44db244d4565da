"""BCN (Base Centrale des Nomenclatures, DEPP): table N_FORMATION_DIPLOME, the diplomas by CFD.

``;``-separated, re-encoded UTF-8 from the published Latin-1, 59 columns. ``FORMATION_DIPLOME`` is
the 8-character diploma code (CFD) that the Kit apprentissage and the RCO flow use;
``GROUPE_SPECIALITE`` is the 3-digit NSF group. The bundled copy is a subset (3,923 diplomas).
"""

from __future__ import annotations

from pathlib import Path

from ingestion.casting import Column
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.documents import snake_case
from ingestion.readers.files import snapshot_file
from ingestion.rules import CFD_CODE, TableRules, matches, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "bcn"
FOLDER = "rncp"
FILE = "bcn_N_FORMATION_DIPLOME_subset_utf8.csv"

HEADERS = (
    "FORMATION_DIPLOME;NIVEAU_FORMATION_DIPLOME;N_NIVEAU_FORMATION_DIPLOME.LIBELLE_100;GROUPE_SPECIALITE;"
    "N_GROUPE_SPECIALITE.LIBELLE_LONG;LETTRE_SPECIALITE;N_LETTRE_SPECIALITE.LIBELLE_LONG;ANCIEN_RECME;LIBELLE_COURT;"
    "LIBELLE_STAT_33;LIBELLE_LONG_200;DATE_OUVERTURE;DATE_FERMETURE;ANCIEN_DIPLOME_1;ANCIEN_DIPLOME_2;ANCIEN_DIPLOME_3;"
    "ANCIEN_DIPLOME_4;ANCIEN_DIPLOME_5;ANCIEN_DIPLOME_6;ANCIEN_DIPLOME_7;NOUVEAU_DIPLOME_1;NOUVEAU_DIPLOME_2;"
    "NOUVEAU_DIPLOME_3;NOUVEAU_DIPLOME_4;NOUVEAU_DIPLOME_5;NOUVEAU_DIPLOME_6;NOUVEAU_DIPLOME_7;UNITE_CAPITALISABLE;"
    "DATE_PREMIERE_SESSION;DATE_DERNIERE_SESSION;DATE_ARRETE_CREATION;DATE_ARRETE_ABROGATION;DATE_ARRETE_MODIFICATION_1;"
    "DATE_ARRETE_MODIFICATION_2;DATE_ARRETE_MODIFICATION_3;DATE_ARRETE_MODIFICATION_4;DATE_ARRETE_MODIFICATION_5;"
    "DATE_ARRETE_MODIFICATION_6;DATE_ARRETE_MODIFICATION_7;DATE_ARRETE_MODIFICATION_8;DATE_ARRETE_MODIFICATION_9;"
    "DATE_ARRETE_MODIFICATION_10;COMMENTAIRE;NATURE_FORMATION_DIPLOME;N_NATURE_FORMATION_DIPLOME.LIBELLE_100;"
    "GESTIONNAIRE_FORMATION_DIPLOME;DATE_INTERVENTION;NB_MEF_OUVERT;NB_MEF_FERME;ID_DOCUMENT;CITE_DOMAINE_FORMATION;"
    "N_CITE_DOMAINE_FORMATION.LIBELLE_EDITION;DATE_SESSION_RATTRAPAGE;OBSERVATION;N_COMMENTAIRE;CITE_DOMAINE_DETAILLE;"
    "N_CITE_2013_DOMAINE_DETAILL.LIBELLE_EDITION;NIVEAU_QUALIFICATION_RNCP;N_NIVEAU_QUALIFICATION_RNCP.LIBELLE_LONG"
).split(";")

# Only the opening and closing dates are typed: the other DATE_* columns hold years or free text
# in places, and nothing downstream reads them.
_DATES = {"DATE_OUVERTURE", "DATE_FERMETURE"}
_INTEGERS = {"NB_MEF_OUVERT", "NB_MEF_FERME"}

SCHEMA = [
    Column(
        snake_case(header),
        "date" if header in _DATES else "int" if header in _INTEGERS else "string",
        source=header,
        required=header == "FORMATION_DIPLOME",
        date_format="%d/%m/%Y" if header in _DATES else None,
    )
    for header in HEADERS
]


def parse_formation_diplome(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, FILE), SCHEMA, separator=";")


RULES = TableRules(
    unique=("formation_diplome",),
    row_rules=(matches("formation_diplome", CFD_CODE, "cfd_code"), *non_negative("nb_mef_ouvert", "nb_mef_ferme")),
)

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "n_formation_diplome",
        "One row per diploma (CFD) of the BCN table N_FORMATION_DIPLOME (bundled subset: 3,923 diplomas): "
        "level, NSF group, short and long labels, opening and closing dates, predecessor and successor "
        "diplomas. Source: DEPP, Base Centrale des Nomenclatures.",
        parse_formation_diplome,
        SCHEMA,
        RULES,
    )
]
