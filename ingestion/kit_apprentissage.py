"""France compétences' Kit apprentissage: RNCP to ROME, RNCP fiches, diploma code (CFD) to RNCP.

Two real releases are bundled:

- v1.4 (January 2021, ``rncp_kit_v1_4/``): four ``;``-separated files, three of them cp1252 with
  trailing empty columns (``;;``), ``rncp_info`` UTF-8 with accents already lost at source (U+FFFD)
  and quoted line breaks in titles. 54 CFD lost their leading zero (7 characters): staging pads them.
- 2025-01-31 (``rncp/Kit_apprentissage_20250131.xlsx``): sheet "Kit Apprentissage", headers on row 2;
  every cell is read as text so that the 8-character CFD keeps its leading zero.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from ingestion.casting import Column, apply_schema, columns
from ingestion.errors import SourceFileError
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.documents import snake_case
from ingestion.readers.files import snapshot_file, with_provenance
from ingestion.readers.workbooks import cells_as_text, read_sheet_rows
from ingestion.rules import NO_RULES, RNCP_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "kit_apprentissage"
V14_FOLDER = "rncp_kit_v1_4"
KIT_2025_FOLDER = "rncp"
KIT_2025_FILE = "Kit_apprentissage_20250131.xlsx"
KIT_2025_SHEET = "Kit Apprentissage"

V14_SCHEMAS: dict[str, tuple[str, list[Column]]] = {
    "rncp_rome": (
        "rncp_rome.v1.4.csv",
        [
            Column("code_rncp", source="CodeRNCP", required=True),
            Column("etat_fiche", source="EtatFiche"),
            Column("code_rome", source="Rome", required=True),
            Column("libelle_rome", source="libelle"),
        ],
    ),
    "rncp_info": (
        "rncp_info.v1.4.csv",
        [
            Column("code_rncp", source="CodeRNCP", required=True),
            Column("intitule_diplome", source="intituleDiplome"),
            Column("date_fin_validite_enregistrement", "date", date_format="%m/%d/%y"),
            Column("active_inactive", source="ActiveInactive"),
            Column("etat_fiche", source="EtatFiche"),
            Column("niveau_europe", source="NiveauEurope"),
            Column("code_type_certif", source="CodeTypeCertif"),
            Column("type_certif", source="TypeCertif"),
            Column("ancienne_fiche", source="AncienneFiche"),
            Column("nouvelle_fiche", source="NouvelleFiche"),
            Column("type_enregistrement", source="TypeEnregistrement"),
        ],
    ),
    "codes_diplomes": (
        "codes_diplomes.v1.4.csv",
        [
            Column("code_diplome", source="CodeDiplome", required=True),
            Column("intitule", source="Intitule"),
            Column("code_rncp", source="CodeRNCP"),
            Column("niveau_2019", source="Niveau2019"),
            Column("type", source="type"),
            Column("derniere_maj", source="DerniereMaJ"),
            Column("fiche_rncp_active_inactive", source="Fiche RNCP active/inactive"),
        ],
    ),
    "rncp_blocs_competences": (
        "rncp_blocs_competences.v1.4.csv",
        [
            Column("code_rncp", source="CodeRNCP", required=True),
            Column("numero_bloc", required=True),
            Column("intitule", required=True),
        ],
    ),
}

V14_DESCRIPTIONS = {
    "rncp_rome": "One row per (RNCP fiche, ROME v3 code) of France compétences' Kit apprentissage v1.4 "
    "(January 2021; 45,165 rows, 16,191 fiches; 223 rows hold truncated ROME codes). The RNCP to ROME table.",
    "rncp_info": "One row per RNCP fiche of the Kit apprentissage v1.4 (17,470 rows): title (accents lost at "
    "source), European level, end of validity, active flag, old/new fiche.",
    "codes_diplomes": "One row per (diploma code CFD, RNCP fiche) of the Kit apprentissage v1.4 (4,904 rows): "
    "the CFD to RNCP table, with level and diploma type. CFD as published (54 lost their leading zero).",
    "rncp_blocs_competences": "One row per RNCP skill block of the Kit apprentissage v1.4 (16,455 blocks of "
    "3,263 fiches): block code and wording.",
}

# 'NR' (non renseigné) marks the 31 rows whose fiche is unknown to France compétences.
NOT_GIVEN = frozenset({"NR"})

# Sheet headers (collapsed whitespace) -> raw column names; the header row must hold them all.
KIT_2025_SCHEMA: list[Column] = columns(
    Column("code_diplome", required=True),
    "intitule_diplome_depp",
    "fiche_rncp",
    "niveau_fiche_rncp",
    "abrege_de_diplome_rncp",
    Column("derniere_maj", source="derniere_ma_j"),  # "Dernière MaJ"
    "acces_a_l_apprentissage_de_la_fiche_rncp_oui_non",
    Column("date_d_echeance_de_la_fiche_rncp", "date", date_format="%d/%m/%Y", null_values=NOT_GIVEN),
    "fiche_active_inactive",
    "intitule_certification_rncp",
    "type_d_enregistrement",
    Column(
        "date_de_publication_de_la_fiche_enregistrement_de_droit", "date", date_format="%d/%m/%Y", null_values=NOT_GIVEN
    ),
    Column("date_de_decision_enregistrement_sur_demande", "date", date_format="%d/%m/%Y", null_values=NOT_GIVEN),
    Column(
        "date_de_debut_des_parcours_certifiants_enregistrement_de_droit",
        "date",
        date_format="%d/%m/%Y",
        null_values=NOT_GIVEN,
    ),
    Column("date_limite_de_la_delivrance", "date", date_format="%d/%m/%Y", null_values=NOT_GIVEN),
    "nouvelle_certification_rempla_rncp",
    "ancienne_certification_rncp",
)


def parse_v14(table: str, snapshot_dir: Path) -> ParsedTable:
    file_name, schema = V14_SCHEMAS[table]
    return parse_delimited(snapshot_file(snapshot_dir, V14_FOLDER, file_name), schema, separator=";")


def parse_kit_2025(path: Path, sheet: str = KIT_2025_SHEET) -> ParsedTable:
    """The "Kit Apprentissage" sheet: title row 1, headers row 2, one row per (CFD, RNCP fiche)."""
    _, rows = read_sheet_rows(path, sheet, header_rows=2)  # a title row, then the headers
    header_index = next(
        (index for index, row in enumerate(rows[:10]) if row and any(cell == "Code Diplôme" for cell in row)), None
    )
    if header_index is None:
        raise SourceFileError(path, f"sheet {sheet!r}, rows 1-10", "a header row starting with 'Code Diplôme'", "none")
    header = [snake_case(" ".join(str(cell).split())) if cell is not None else "" for cell in rows[header_index]]
    missing = [spec.source_name for spec in KIT_2025_SCHEMA if spec.source_name not in header]
    if missing:
        raise SourceFileError(
            path, f"sheet {sheet!r}, header row {header_index + 1}", f"columns {missing}", f"{header}"
        )
    body = [row for row in rows[header_index + 1 :] if any(cell is not None for cell in row)]
    frame = cells_as_text(pd.DataFrame.from_records([row[: len(header)] for row in body], columns=header))
    # Provenance: the spreadsheet row number, as a reader of the file would see it.
    first_data_row = header_index + 2
    frame = with_provenance(frame, path, range(first_data_row, first_data_row + len(frame)))
    typed, rejects = apply_schema(frame, KIT_2025_SCHEMA)
    return ParsedTable(rows=typed, rejects=rejects, files=[path], encodings={path.name: "xlsx"})


RULES: dict[str, TableRules] = {
    # Truncated ROME codes ("H12", 223 rows) land and are flagged in staging (is_well_formed_rome_code),
    # so the code format is not a row rule here.
    "rncp_rome": TableRules(row_rules=(matches("code_rncp", RNCP_CODE, "rncp_code"),)),
    "rncp_info": TableRules(row_rules=(matches("code_rncp", RNCP_CODE, "rncp_code"),)),
    "rncp_blocs_competences": TableRules(row_rules=(matches("code_rncp", RNCP_CODE, "rncp_code"),)),
}

TABLES: list[RawTable] = [
    *(
        RawTable(
            SOURCE,
            table,
            V14_DESCRIPTIONS[table],
            partial(parse_v14, table),
            V14_SCHEMAS[table][1],
            RULES.get(table, NO_RULES),
        )
        for table in V14_SCHEMAS
    ),
    RawTable(
        SOURCE,
        "cfd_rncp_2025",
        "One row per (diploma code CFD, RNCP fiche) of France compétences' Kit apprentissage of 2025-01-31 "
        "(6,822 rows, 5,953 CFD, 4,588 fiches), with the fiche's level, status, apprenticeship access and "
        "replacement links. Source: Kit_apprentissage_20250131.xlsx, sheet 'Kit Apprentissage'.",
        lambda snapshot_dir: parse_kit_2025(snapshot_file(snapshot_dir, KIT_2025_FOLDER, KIT_2025_FILE)),
        KIT_2025_SCHEMA,
        RULES.get("cfd_rncp_2025", NO_RULES),
    ),
]
