"""France Travail API "Marché du travail" (stats-offres-demandes-emploi v1): saved responses.

Two tables:

- ``indicator_values``: every ``POST /indicateur/stat-*`` response flattened to one row per
  (indicator, territory, activity, period, nomenclature, characteristic). Each period entry gives
  one row for its main value (characteristic NULL) and one per entry of its
  ``listeValeurParCaract``. The API sends numbers as strings; counts are rounded to 10 at source.
  DYN_1 has no count but a class (``valeurPrincipaleNom``, "1" to "5"), kept as text.
- ``indicators``: the referential of indicators (``GET /referentiel/indicateurs``), one row each,
  with the territory, activity, period, nomenclature and characteristic types they support.
  The API returns a lone object instead of a one-element list in those fields; both are read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pandas as pd

from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import read_json, snapshot_file, snapshot_files, with_provenance
from ingestion.rules import TableRules, between, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "france_travail_stats"
FOLDER = "france_travail_stats_api"
RESPONSES = "stat-*_response.json"
REFERENTIAL = "referentiel_indicateurs_response.json"
ISO = "ISO8601"

PERIOD_FIELDS = {
    "datMaj": "updated_at",
    "codeTypeTerritoire": "territory_type",
    "codeTerritoire": "territory_code",
    "libTerritoire": "territory_label",
    "codeTypeActivite": "activity_type",
    "codeActivite": "activity_code",
    "libActivite": "activity_label",
    "codeNomenclature": "nomenclature_code",
    "libNomenclature": "nomenclature_label",
    "codeTypePeriode": "period_type",
    "codePeriode": "period_code",
    "libPeriode": "period_label",
}

VALUE_SCHEMA: list[Column] = [
    Column("indicator_code", required=True),
    Column("indicator_family"),
    Column("indicator_label"),
    Column("updated_at", "timestamp", date_format=ISO),
    Column("territory_type", required=True),
    Column("territory_code", required=True),
    Column("territory_label"),
    Column("activity_type"),
    Column("activity_code"),
    Column("activity_label"),
    Column("nomenclature_code"),
    Column("nomenclature_label"),
    Column("period_type"),
    Column("period_code", required=True),
    Column("period_label"),
    Column("characteristic_type"),
    Column("characteristic_code"),
    Column("characteristic_label"),
    Column("value_count", "int"),
    Column("value_percent", "float"),
    Column("value_class"),
    Column("is_masked", "bool"),
]

INDICATOR_SCHEMA: list[Column] = [
    Column("indicator_code", source="codeIndicateur", required=True),
    Column("label", source="libelleIndicateur"),
    Column("description", source="descriptif"),
    Column("family_code", source="codeFamille"),
    Column("is_available", "bool", source="disponibiliteIndicateur"),
    Column("updated_at", "timestamp", source="datMaj", date_format=ISO),
    Column("territory_types"),
    Column("activity_types"),
    Column("period_types"),
    Column("nomenclature_types"),
    Column("characteristic_types"),
    Column("value_types"),
    Column("characteristics_json"),
    Column("nomenclatures_json"),
    Column("crossings_json"),
]

# Referential field holding a list (or a lone object) -> (landed column, code key to list).
INDICATOR_LISTS: dict[str, tuple[str, str]] = {
    "listeTypesTerritoiresIndicateur": ("territory_types", "codeTypeTerritoire"),
    "listeTypesActivitesIndicateur": ("activity_types", "codeTypeActivite"),
    "listeTypesPeriodesIndicateur": ("period_types", "codeTypePeriode"),
    "listeTypesNomenclaturesIndicateur": ("nomenclature_types", "codeTypeNomenclature"),
    "listeTypesCracteristiqueIndicateur": ("characteristic_types", "codeTypeCaracteristique"),
    "listeTypesValeurs": ("value_types", "codeTypeValeur"),
}
INDICATOR_JSON: dict[str, str] = {
    "listeCaracteristiqueIndicateur": "characteristics_json",
    "listeTypesNomenclaturesIndicateur": "nomenclatures_json",
    "listeCroisementsIndicateur": "crossings_json",
}


def _require_list(path: Path, document: object, key: str, expected: str) -> list[dict]:
    entries = document.get(key) if isinstance(document, dict) else None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        found = f"keys {sorted(document)[:8]}" if isinstance(document, dict) else type(document).__name__
        raise SourceFileError(path, key, expected, found)
    return entries


def parse_response(path: Path) -> ParsedTable:
    """One saved stat-* response to one row per main value and per characteristic value."""
    expected = "a stats API response: an object with a 'listeValeursParPeriode' array of objects"
    document, encoding = read_json(path, expected)
    entries = _require_list(path, document, "listeValeursParPeriode", expected)
    header = cast(dict, document)
    periods = pd.DataFrame(entries).reindex(
        columns=[
            *PERIOD_FIELDS,
            "valeurPrincipaleNombre",
            "valeurSecondairePourcentage",
            "valeurPrincipaleNom",
            "listeValeurParCaract",
        ]
    )
    periods["_entry"] = range(len(periods))
    main = periods.rename(columns=PERIOD_FIELDS).rename(
        columns={
            "valeurPrincipaleNombre": "value_count",
            "valeurSecondairePourcentage": "value_percent",
            "valeurPrincipaleNom": "value_class",
        }
    )
    main["_order"] = 0
    exploded = periods.set_index("_entry")["listeValeurParCaract"].explode().dropna()
    characteristics = (
        pd.DataFrame(
            exploded.tolist(),
            index=exploded.index,
            columns=["codeTypeCaract", "codeCaract", "libCaract", "nombre", "pourcentage", "masque"],
        )
        .reset_index()
        .rename(
            columns={
                "codeTypeCaract": "characteristic_type",
                "codeCaract": "characteristic_code",
                "libCaract": "characteristic_label",
                "nombre": "value_count",
                "pourcentage": "value_percent",
                "masque": "is_masked",
            }
        )
    )
    # A characteristic row inherits its period entry's coordinates.
    characteristics = characteristics.merge(main[["_entry", *PERIOD_FIELDS.values()]], on="_entry", how="left")
    characteristics["_order"] = range(1, len(characteristics) + 1)
    frame = pd.concat([main, characteristics], ignore_index=True).sort_values(["_entry", "_order"], kind="stable")
    frame["indicator_code"] = header.get("codeIndicateur")
    frame["indicator_family"] = header.get("codeFamille")
    frame["indicator_label"] = header.get("libIndicateur")
    frame = frame.reindex(columns=[spec.name for spec in VALUE_SCHEMA])
    # _row_number: position in the flattened response (each entry, then its characteristics).
    frame = with_provenance(frame, path)
    rows, rejects = apply_schema(frame, VALUE_SCHEMA)
    return ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: encoding},
        # Counted on the document itself, apart from the flattening above: each period entry, and
        # each of its characteristic entries (a lone object counts as one).
        records_read=sum(1 + len(_as_list(entry.get("listeValeurParCaract"))) for entry in entries),
        counted_as="JSON period entries + their characteristic entries",
    )


def parse_indicator_values(snapshot_dir: Path) -> ParsedTable:
    return ParsedTable.combine([parse_response(path) for path in snapshot_files(snapshot_dir, FOLDER, RESPONSES)])


def _as_list(value: object) -> list:
    """The API sends a lone object where a list has one element, and omits empty lists."""
    if isinstance(value, list):
        return value
    return [] if value is None or (isinstance(value, float) and pd.isna(value)) else [value]


def parse_referential(path: Path) -> ParsedTable:
    expected = "an indicator referential: an object with a 'listeIndicateurs' array of objects"
    document, encoding = read_json(path, expected)
    records = _require_list(path, document, "listeIndicateurs", expected)
    frame = pd.DataFrame(records)
    for field in {*INDICATOR_LISTS, *INDICATOR_JSON}:
        frame[field] = frame[field].map(_as_list) if field in frame.columns else [[] for _ in range(len(frame))]
    for field, (column, code_key) in INDICATOR_LISTS.items():
        frame[column] = frame[field].map(
            lambda items, key=code_key: ",".join(str(item.get(key)) for item in items if isinstance(item, dict))
        )
    for field, column in INDICATOR_JSON.items():
        frame[column] = frame[field].map(lambda items: json.dumps(items, ensure_ascii=False) if items else None)
    frame = frame.drop(columns=[*INDICATOR_LISTS, *INDICATOR_JSON], errors="ignore")
    frame = with_provenance(frame.reindex(columns=[spec.source_name for spec in INDICATOR_SCHEMA]), path)
    rows, rejects = apply_schema(frame, INDICATOR_SCHEMA)
    return ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: encoding},
        records_read=len(records),
        counted_as="JSON array length",
    )


def parse_indicators(snapshot_dir: Path) -> ParsedTable:
    return parse_referential(snapshot_file(snapshot_dir, FOLDER, REFERENTIAL))


RULES: dict[str, TableRules] = {
    "indicator_values": TableRules(row_rules=(*non_negative("value_count"), between("value_percent", 0, 100))),
    "indicators": TableRules(unique=("indicator_code",)),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "indicator_values",
        "One row per (indicator, territory, activity, period, nomenclature, characteristic) value of the "
        "France Travail 'Marché du travail' API: each period entry's main value (characteristic NULL) and "
        "its values by characteristic (sex, age, education...). Counts typed as integers (rounded to 10 "
        "by the API), percentages as numbers. Source: saved stat-demandeurs (DE_1, REG 75 x A1203) and "
        "stat-dynamique-emploi (DYN_1) responses.",
        parse_indicator_values,
        VALUE_SCHEMA,
        RULES["indicator_values"],
    ),
    RawTable(
        SOURCE,
        "indicators",
        "One row per indicator of the France Travail 'Marché du travail' API (17), with the territory, "
        "activity, period, nomenclature, characteristic and value types it supports. Source: saved "
        "GET /referentiel/indicateurs response.",
        parse_indicators,
        INDICATOR_SCHEMA,
        RULES["indicators"],
    ),
]
