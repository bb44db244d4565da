"""Geography: INSEE COG 2024 (communes, départements, régions), INSEE zones d'emploi 2020 and the
France Travail BMO bassins d'emploi (2021 zoning).

All codes stay text exactly as published. Two quirks are kept raw on purpose and fixed in staging,
where they are visible and tested: the bassin file's ``dep`` and ``codgeo`` lost their leading
zero in the départements 01 to 09 (``8`` for 08, ``8001`` for 08001), and the zones d'emploi export
ends with an empty line of separators (``,,,,``), which lands in quarantine (no commune code).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ingestion.casting import Column, columns
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import newest_file
from ingestion.rules import COMMUNE_CODE, DEPARTEMENT_CODE, NO_RULES, REGION_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable

SOURCE = "geography"

# table -> (snapshot folder, file name, schema)
SCHEMAS: dict[str, tuple[str, str, list[Column]]] = {
    "communes": (
        "geo_cog",
        "v_commune_[0-9][0-9][0-9][0-9].csv",
        columns(
            Column("typecom", source="TYPECOM", required=True),
            Column("com", source="COM", required=True),
            Column("reg", source="REG"),
            Column("dep", source="DEP"),
            Column("ctcd", source="CTCD"),
            Column("arr", source="ARR"),
            Column("tncc", source="TNCC"),
            Column("ncc", source="NCC"),
            Column("nccenr", source="NCCENR"),
            Column("libelle", source="LIBELLE", required=True),
            Column("can", source="CAN"),
            Column("comparent", source="COMPARENT"),
        ),
    ),
    "departements": (
        "geo_cog",
        "v_departement_[0-9][0-9][0-9][0-9].csv",
        columns(
            Column("dep", source="DEP", required=True),
            Column("reg", source="REG", required=True),
            Column("cheflieu", source="CHEFLIEU"),
            Column("tncc", source="TNCC"),
            Column("ncc", source="NCC"),
            Column("nccenr", source="NCCENR"),
            Column("libelle", source="LIBELLE", required=True),
        ),
    ),
    "regions": (
        "geo_cog",
        "v_region_[0-9][0-9][0-9][0-9].csv",
        columns(
            Column("reg", source="REG", required=True),
            Column("cheflieu", source="CHEFLIEU"),
            Column("tncc", source="TNCC"),
            Column("ncc", source="NCC"),
            Column("nccenr", source="NCCENR"),
            Column("libelle", source="LIBELLE", required=True),
        ),
    ),
    "zones_emploi": (
        "geo_zonages",
        "Export_Communes_Zones_Emploi_2020.csv",
        columns(
            Column("codgeo", required=True),
            "libgeo",
            "ze_2020",
            Column("codze2020", required=True),
            "libze2020",
        ),
    ),
    "bassins_bmo": (
        "geo_zonages",
        "France_Travail_Bassin_Emploi_2021.csv",
        columns(
            "reg",
            "dep",
            Column("codgeo", required=True),
            Column("codbe", required=True),
            "libbe",
        ),
    ),
}

DESCRIPTIONS = {
    "communes": (
        "One row per COG 2024 commune code and type (37,544): COM communes (34,935), COMD communes "
        "déléguées (2,081), COMA communes associées (483), ARM municipal arrondissements (45); "
        "COMD/COMA/ARM rows point to their 2024 commune in comparent. Source: INSEE, Code officiel "
        "géographique au 1er janvier 2024, v_commune_2024.csv."
    ),
    "departements": "One row per département (101) with its région. Source: INSEE COG 2024, v_departement_2024.csv.",
    "regions": "One row per région (18). Source: INSEE COG 2024, v_region_2024.csv.",
    "zones_emploi": (
        "One row per commune with its zone d'emploi 2020 (34,935 communes; the file's trailing empty "
        "line goes to quarantine). Source: INSEE zonage en zones d'emploi 2020, "
        "Export_Communes_Zones_Emploi_2020.csv."
    ),
    "bassins_bmo": (
        "One row per commune code with its BMO bassin d'emploi (37,498), France Travail 2021 zoning, "
        "older COG (pre-merger codes included); dep and codgeo lost their leading zero for "
        "départements 01-09 (kept raw, padded in staging). Source: France_Travail_Bassin_Emploi_2021.csv."
    ),
}


def parse(table: str, snapshot_dir: Path) -> ParsedTable:
    folder, file_name, schema = SCHEMAS[table]
    return parse_delimited(newest_file(snapshot_dir, folder, file_name), schema)


RULES: dict[str, TableRules] = {
    # A commune déléguée may share its code with the new commune: the key is (type, code).
    "communes": TableRules(
        unique=("typecom", "com"),
        row_rules=(
            matches("com", COMMUNE_CODE, "commune_code"),
            matches("dep", DEPARTEMENT_CODE, "departement_code"),
            matches("reg", REGION_CODE, "region_code"),
        ),
    ),
    "departements": TableRules(
        unique=("dep",),
        row_rules=(
            matches("dep", DEPARTEMENT_CODE, "departement_code"),
            matches("reg", REGION_CODE, "region_code"),
            matches("cheflieu", COMMUNE_CODE, "commune_code"),
        ),
    ),
    "regions": TableRules(
        unique=("reg",),
        row_rules=(matches("reg", REGION_CODE, "region_code"), matches("cheflieu", COMMUNE_CODE, "commune_code")),
    ),
    "zones_emploi": TableRules(unique=("codgeo",), row_rules=(matches("codgeo", COMMUNE_CODE, "commune_code"),)),
    "bassins_bmo": TableRules(unique=("codgeo",)),
}

TABLES: list[RawTable] = [
    RawTable(SOURCE, table, DESCRIPTIONS[table], partial(parse, table), SCHEMAS[table][2], RULES.get(table, NO_RULES))
    for table in SCHEMAS
]


def region_departements(snapshot_dir: Path, region: str) -> list[str]:
    """The codes of the départements of ``region`` (INSEE COG 2024), in code order."""
    departements = parse("departements", snapshot_dir).rows
    codes = sorted(departements.loc[departements["reg"] == region, "dep"].astype(str))
    if not codes:
        raise ValueError(f"région {region!r}: no département of the COG 2024 belongs to it")
    return codes
