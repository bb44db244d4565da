"""DARES "Portraits statistiques des métiers": hiring tension, share of women, jobseekers by FAP.

Bundled as the unchanged ``inputs/`` files of StatDares/PortraitStatMetiers (commit of
2021-04-27). Five of the nine files are cp1252 (published as "Latin-1"); ``read_delimited``
detects and records the encoding per file, so the asset metadata shows which is which.

Raw column names are the source headers in lowercase ASCII snake_case (:func:`ingestion.readers.files.snake_case`), so that
``Manque de main-d'œuvre disponible`` lands as ``manque_de_main_d_oeuvre_disponible``. Headers
are stripped on reading, which absorbs the trailing space of ``Tension `` and every cell is
stripped on typing, which absorbs the trailing space of ``niveau_geo`` = ``reg `` (1,309 rows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd

from ingestion.casting import Column, ColumnType, apply_schema
from ingestion.readers.files import read_delimited, snake_case, snapshot_file
from ingestion.rules import (
    DEPARTEMENT_CODE,
    NO_RULES,
    REGION_CODE,
    ROME_CODE,
    TableRules,
    between,
    matches,
    non_negative,
)
from ingestion.tables import ParsedTable, RawTable

FOLDER = "dares_portraits"
SOURCE = "dares"

# R's export writes missing values as the text NA: in part_femmes (20 shares: T2A/T2B before
# they existed), serie_demandeurs (the 48 'Ensemble' rows), part_femmes_3niv and fap225_rome.
R_MISSING = frozenset({"NA"})


def col(header: str, type: ColumnType = "string", **options: object) -> Column:
    """A column named after its source header (stripped), see :func:`ingestion.readers.files.snake_case`."""
    return Column(snake_case(header), type, source=header, **options)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Spec:
    file: str
    separator: str
    schema: list[Column]
    description: str
    # Vectorised reshaping of the string frame before typing / of the typed rows after it.
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    finish: Callable[[pd.DataFrame], pd.DataFrame] | None = None


def _split_window(frame: pd.DataFrame) -> pd.DataFrame:
    """'1982-1984' (a 3-year pooling window) also as its first and last year, typed later."""
    frame = frame.copy()
    parts = frame["Annee"].str.strip().str.split("-", n=1)
    frame["annee_debut"] = parts.str[0]
    frame["annee_fin"] = parts.str[1]
    return frame


def _region_code(rows: pd.DataFrame) -> pd.DataFrame:
    """``reg`` is exported as a float ('44.0', '1.0'): land the INSEE region code ('44', '01').

    The integer cast in the schema has already sent any non-integral value to quarantine.
    """
    rows = rows.copy()
    rows["reg"] = rows["reg"].astype("string").str.zfill(2)
    return rows


_TENSION_FACTORS = [
    "Catégorie Tension",
    "Intensité d'embauches",
    "Lien formation-emploi",
    "Manque de main-d'œuvre disponible",
    "Non-durabilité de l'emploi",
    "Conditions de travail contraignantes",
    "Inadéquation géographique",
]

_WINDOW = [
    Column("annee_debut", "int", required=True),
    Column("annee_fin", "int", required=True),
]

SPECS: dict[str, Spec] = {
    "tensions": Spec(
        "tensions.csv",
        ",",
        [
            col("fap", required=True),
            col("Emploi moyen", "int"),
            # Empty in 1,488 departmental FAP-225 rows (not computed there): NULL.
            col("Tension", "float"),
            # Category and the six factors are 1-5 quintile scales, exported as '3.0'.
            *[col(header, "int") for header in _TENSION_FACTORS],
            col("Année", "int", required=True),
            col("niveau_geo", required=True),
            col("niveau_fap", required=True),
            col("reg", "int"),
            col("dep"),
        ],
        "One row per (FAP 2009 code, geographic level, region or département): the DARES / Pôle "
        "emploi hiring-tension indicator for 2019 and its six factors (1-5 scales), at national, "
        "regional (reg = INSEE region code) and departmental level, FAP 225 and FAP 87 "
        "(31,034 rows). "
        "Source: DARES Portraits statistiques des métiers, tensions.csv.",
        finish=_region_code,
    ),
    "tension_history": Spec(
        "evol_tensions.csv",
        ",",
        [col("fap", required=True), col("Tension", "float"), col("Année", "int", required=True)],
        "One row per (FAP 2009 code, year): the national hiring-tension indicator, 2011-2019 "
        "(2,367 rows). Source: DARES Portraits statistiques des métiers, evol_tensions.csv.",
    ),
    "women_share_employment": Spec(
        "part_femmes.csv",
        ",",
        [
            col("Fap3", required=True),
            col("Annee", required=True),
            *_WINDOW,
            col("Part", "float", null_values=R_MISSING),
        ],
        "One row per (FAP 87 code, 3-year window): share of women in employment, percent, France, "
        "1982-84 to 2017-19 (3,168 rows). Source: DARES Portraits statistiques des métiers "
        "(Insee Enquête Emploi), part_femmes.csv.",
        prepare=_split_window,
    ),
    "women_share_employment_detailed": Spec(
        "part_femmes_3niv.csv",
        ",",
        [
            col("Fap3", required=True),
            col("Annee", required=True),
            *_WINDOW,
            col("Part", "float", null_values=R_MISSING),
            col("libelle"),
            col("code_domaine"),
            col("libelle_domaine"),
            col("code_fap_agregee", null_values=R_MISSING),
            col("libelle_fap_agregee", null_values=R_MISSING),
        ],
        "One row per (FAP code at domain, FAP 87 or FAP 225 level, 3-year window): share of women "
        "in employment, percent, France, with labels and parent codes (7,453 rows). Source: DARES "
        "Portraits statistiques des métiers, part_femmes_3niv.csv (cp1252).",
        prepare=_split_window,
    ),
    "women_share_jobseekers": Spec(
        "part_femmes_un_an_demandeurs_emploi_A.csv",
        ",",
        [
            col("Fap3", required=True),
            col("part_femmes_a", "float", null_values=R_MISSING),
            col("part_defm_1an_ou_plus", "float", null_values=R_MISSING),
        ],
        "One row per FAP 87 code plus an 'Ensemble' row: share of women among category-A "
        "jobseekers and share registered for a year or more, percent (88 rows). Source: DARES "
        "Portraits statistiques des métiers, part_femmes_un_an_demandeurs_emploi_A.csv.",
    ),
    "jobseekers_by_fap": Spec(
        "serie_demandeurs_emploi_A_ABC.csv",
        ",",
        [
            col("Fap3", required=True),
            col("Annee", "int", required=True),
            # Thousands of jobseekers, yearly average; NA for the 48 'Ensemble' rows (no total).
            col("Effectifs", "float", null_values=R_MISSING),
            col("Categorie", required=True),
        ],
        "One row per (FAP code at FAP 87 or FAP 225 level or 'Ensemble', year, jobseeker "
        "category 'Catégorie A' or 'Catégories A, B, C'): jobseekers in thousands, France, "
        "1997-2020 (14,256 rows). Source: DARES Portraits statistiques des métiers, "
        "serie_demandeurs_emploi_A_ABC.csv (cp1252).",
    ),
    "employment_by_region": Spec(
        "input_carte1.csv",
        ",",
        [
            # Pre-2016 style codes for the overseas regions (101-104, 106) next to REG (1-4, 6).
            col("code_reg", required=True),
            col("FAP_3", required=True),
            col("emp_fap_reg", "float"),
            col("emp_reg", "float"),
            # The FAP's share of the region's employment, percent.
            col("variable", "float"),
            col("nom_reg"),
            col("GID"),
            # Map legend class, French decimals ('1,5 - 2,0'); two rows hold a bare number instead.
            col("var_classe"),
            col("REG", required=True),
            col("emp_fap_reg2", "float"),
            # The region's share of the FAP's national employment, a fraction (0-1).
            col("pourcentage", "float"),
        ],
        "One row per (region, FAP 87 code): employment of the FAP in the region, the region's "
        "employment and the shares between them (1,519 rows, 18 regions). Source: DARES Portraits "
        "statistiques des métiers, input_carte1.csv (cp1252).",
    ),
    "fap_to_rome": Spec(
        "fap225_rome.csv",
        ";",
        [
            # The file ends with three empty records (';;'): they go to quarantine, named.
            col("Fap", required=True),
            col("Rome", null_values=R_MISSING),
            col("intitule_rome", null_values=R_MISSING),
        ],
        "One row per (FAP 2009 code at 225 level, ROME v3 code): the official DARES crosswalk; 16 "
        "FAP without a ROME equivalent have rome NULL (768 records, 3 of them empty and "
        "quarantined). Source: DARES Portraits statistiques des métiers, fap225_rome.csv "
        "(cp1252).",
    ),
    "fap_to_pcs": Spec(
        "FAP_PCS.csv",
        ";",
        [col("Fap", required=True), col("PCS", required=True), col("intitule_PCS")],
        "One row per PCS 2003 occupation code with its FAP 2009 code at 225 level (486 rows). "
        "Source: DARES Portraits statistiques des métiers, FAP_PCS.csv (cp1252).",
    ),
}


def parse(table: str, snapshot_dir: Path) -> ParsedTable:
    spec = SPECS[table]
    path = snapshot_file(snapshot_dir, FOLDER, spec.file)
    frame, encoding = read_delimited(
        path,
        separator=spec.separator,
        expected_columns=[column.source_name for column in spec.schema if column.source],
    )
    if spec.prepare is not None:
        frame = spec.prepare(frame)
    rows, rejects = apply_schema(frame, spec.schema)
    if spec.finish is not None:
        rows = spec.finish(rows)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


RULES: dict[str, TableRules] = {
    "tensions": TableRules(
        row_rules=(
            *non_negative("emploi_moyen"),
            matches("dep", DEPARTEMENT_CODE, "departement_code"),
            matches("reg", REGION_CODE, "region_code"),
        ),
        landed_types={"reg": "string"},
    ),
    "women_share_employment": TableRules(row_rules=(between("part", 0, 100),)),
    "women_share_employment_detailed": TableRules(row_rules=(between("part", 0, 100),)),
    "women_share_jobseekers": TableRules(
        unique=("fap3",), row_rules=(between("part_femmes_a", 0, 100), between("part_defm_1an_ou_plus", 0, 100))
    ),
    "jobseekers_by_fap": TableRules(row_rules=non_negative("effectifs")),
    "employment_by_region": TableRules(row_rules=non_negative("emp_fap_reg", "emp_reg")),
    "fap_to_rome": TableRules(row_rules=(matches("rome", ROME_CODE, "rome_code"),)),
    "fap_to_pcs": TableRules(unique=("pcs",)),
}

TABLES: list[RawTable] = [
    RawTable(SOURCE, table, spec.description, partial(parse, table), spec.schema, RULES.get(table, NO_RULES))
    for table, spec in SPECS.items()
]
