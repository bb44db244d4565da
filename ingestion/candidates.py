"""Candidates (jobseeker profiles) from the operator's private CSV, pseudonymised on ingestion.

Candidates never come from open data. The operator drops a CSV at
``$PASSERELLE_DATA_DIR/private/candidates.csv`` (UTF-8, comma-separated, header required):

=================  ========  ===============================================================
column             required  content
=================  ========  ===============================================================
candidate_ref      yes       the operator's own identifier; replaced by a salted hash here
sought_rome_codes  yes       ROME codes sought, separated by ``;`` (``M1811;M1805``)
skill_codes        no        ROME item codes (code_ogr) the candidate holds, ``;``-separated
commune_code       yes       INSEE code of the commune of residence (``57463``, ``2A004``)
max_distance_km    yes       how far the candidate accepts to travel, 1 to 200 km
gender             no        ``F``, ``M`` or empty
registered_at      no        registration date with France Travail, ``YYYY-MM-DD``
is_synthetic       no        ``true`` only in files written by ``ingestion.synthetic_candidates``
=================  ========  ===============================================================

``candidate_ref`` is replaced by ``candidate_id`` = ``cand_`` + the first 20 hex characters of
SHA-256(salt + U+001F + candidate_ref) before anything is kept or quarantined, so the raw
reference reaches neither the raw zone nor quarantine. The salt comes from
``PASSERELLE_PSEUDONYM_SALT`` and is never written to any output.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import read_delimited
from ingestion.tables import ParsedTable

SOURCE = "candidates"
TABLE = "profiles"
REQUIRED_COLUMNS = ["candidate_ref", "sought_rome_codes", "commune_code", "max_distance_km"]
OPTIONAL_COLUMNS = ["skill_codes", "gender", "registered_at", "is_synthetic"]
ID_PREFIX = "cand_"
DESCRIPTION = (
    "One row per candidate (jobseeker profile): pseudonymised candidate_id, sought ROME codes, "
    "skill codes, commune, maximum distance, optional gender and registration date. Source: the "
    "operator's private CSV ($PASSERELLE_DATA_DIR/private/candidates.csv) or, when there is none, "
    "the synthetic file written by ingestion.synthetic_candidates (is_synthetic = true)."
)

SCHEMA = [
    Column("candidate_id", required=True),
    Column("sought_rome_codes", required=True),
    Column("skill_codes"),
    Column("commune_code", required=True),
    Column("max_distance_km", "float", required=True),
    Column("gender"),
    Column("registered_at", "date", date_format="%Y-%m-%d"),
    Column("is_synthetic", "bool"),
]

_ROME_LIST = r"^[A-N][0-9]{4}(;[A-N][0-9]{4})*$"
_SKILL_LIST = r"^[0-9]+(;[0-9]+)*$"
COMMUNE_PATTERN = r"^([0-9]{5}|2[AB][0-9]{3})$"


def pseudonymise(references: pd.Series, salt: str, prefix: str = ID_PREFIX) -> pd.Series:
    """Salted SHA-256 pseudonyms of ``references`` (``prefix`` + 20 hex), in one DuckDB pass."""
    if not salt:
        raise ValueError("a non-empty pseudonymisation salt is required")
    table = pa.table({"reference": pa.array(references.astype("string"), type=pa.string())})
    connection = duckdb.connect()
    try:
        connection.register("references_table", table)
        result = connection.execute(
            "select case when reference is null then null "
            "else ? || left(sha256(? || chr(31) || reference), 20) end as candidate_id "
            "from references_table",
            [prefix, salt],
        ).fetchnumpy()
    finally:
        connection.close()
    return pd.Series(result["candidate_id"], index=references.index).astype("string")


def _rule_violations(frame: pd.DataFrame) -> pd.Series:
    """Reasons (possibly empty) per row for values that are well-typed but out of the schema's rules."""
    reasons = pd.Series("", index=frame.index, dtype="object")
    checks = [
        ("sought_rome_codes", _ROME_LIST, "ROME codes like M1811 separated by ';'"),
        ("skill_codes", _SKILL_LIST, "ROME item codes (digits) separated by ';'"),
        ("commune_code", COMMUNE_PATTERN, "a 5-character INSEE commune code"),
    ]
    for column, pattern, expected in checks:
        values = frame[column].astype("string").str.replace(" ", "", regex=False)
        bad = values.notna() & (values != "") & ~values.str.match(pattern).fillna(False)
        reasons[bad] += f"column {column!r}: expected {expected}, found " + values[bad].map(repr) + "; "
    distance = pd.to_numeric(frame["max_distance_km"], errors="coerce")
    out_of_range = distance.notna() & ((distance < 1) | (distance > 200))
    reasons[out_of_range] += (
        "column 'max_distance_km': expected 1 to 200 km, found "
        + frame.loc[out_of_range, "max_distance_km"].astype(str)
        + "; "
    )
    gender = frame["gender"].astype("string").str.strip()
    bad_gender = gender.notna() & (gender != "") & ~gender.isin(["F", "M"])
    reasons[bad_gender] += "column 'gender': expected F, M or empty, found " + gender[bad_gender].map(repr) + "; "
    return reasons


def parse_candidates(path: Path, salt: str, *, is_synthetic: bool) -> ParsedTable:
    """Read, pseudonymise and validate a candidates CSV; invalid rows go to quarantine."""
    frame, encoding = read_delimited(path, expected_columns=REQUIRED_COLUMNS)
    for column in OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    unexpected = set(frame.columns) - {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, "_source_file", "_row_number"}
    if unexpected:
        raise SourceFileError(path, "header", "only the documented columns", f"also {sorted(unexpected)}")
    frame.insert(2, "candidate_id", pseudonymise(frame["candidate_ref"], salt))
    frame = frame.drop(columns=["candidate_ref"])
    if frame["is_synthetic"].isna().all():
        frame["is_synthetic"] = "true" if is_synthetic else "false"
    elif not is_synthetic and frame["is_synthetic"].astype("string").str.lower().eq("true").any():
        raise SourceFileError(path, "column is_synthetic", "a private file of real candidates", "rows marked synthetic")
    for column in ("sought_rome_codes", "skill_codes"):
        frame[column] = frame[column].astype("string").str.replace(" ", "", regex=False).str.upper()
    rows, rejects = apply_schema(frame, SCHEMA)
    # Rows that typed correctly may still break a rule (pattern, range): quarantine them too.
    violations = _rule_violations(rows)
    if (violations != "").any():
        broken = rows.loc[violations != ""].astype("string").copy()
        broken["reject_reason"] = violations[violations != ""].str.rstrip("; ")
        rejects = pd.concat([rejects, broken], ignore_index=True)
        rows = rows.loc[violations == ""].reset_index(drop=True)
    duplicated = rows["candidate_id"].duplicated(keep="first")
    if duplicated.any():
        repeated = rows.loc[duplicated].astype("string").copy()
        repeated["reject_reason"] = "column 'candidate_ref': the same reference appears earlier in the file"
        rejects = pd.concat([rejects, repeated], ignore_index=True)
        rows = rows.loc[~duplicated].reset_index(drop=True)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})


def quarantined_columns(rejects: pd.DataFrame) -> dict[str, int]:
    """Quarantined rows per column named in their reason, without the values the reasons quote.

    A reason reads ``column 'commune_code': expected ..., found '57999'``: only the column name
    may leave the quarantine (logs and run metadata are readable by every UI user).
    """
    if rejects.empty:
        return {}
    named = rejects["reject_reason"].astype("string").str.findall(r"column '([^']+)'").explode().dropna()
    per_row = named.groupby(level=0).unique().explode()
    return {str(column): int(count) for column, count in per_row.value_counts().sort_index().items()}
