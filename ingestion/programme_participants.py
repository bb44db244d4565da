"""Participants of a regional training programme (e.g. "Numéric Emploi Grand Est"), pseudonymised.

Like the candidates, participants never come from open data. The operator drops a CSV at
``$PASSERELLE_DATA_DIR/private/programme_participants.csv`` (UTF-8, comma-separated, header):

====================  ========  ============================================================
column                required  content
====================  ========  ============================================================
participant_ref       yes       the operator's identifier; replaced by a salted hash here
programme_code        yes       short code of the programme (``NUMERIC_EMPLOI_GE``)
applied_at            yes       application date, ``YYYY-MM-DD``
is_selected           yes       ``true`` when the application was selected (a trainee)
training_id           no        the training applied for (``trainings.training_id``)
training_end_at       no        end date of the training, ``YYYY-MM-DD`` (trainees only)
has_completed         no        ``true`` / ``false``; empty while the training runs
employed_6_months     no        in work 6 months after the end: ``true`` / ``false``; empty = unknown
employed_12_months    no        the same at 12 months
commune_code          yes       INSEE code of the commune of residence
gender                no        ``F``, ``M`` or empty
is_synthetic          no        ``true`` only in files written by ``ingestion.synthetic_programme``
====================  ========  ============================================================

``participant_ref`` becomes ``participant_id`` = ``part_`` + 20 hex characters of the salted
SHA-256 (the candidates' salt, :func:`ingestion.candidates.pseudonymise`) before anything is kept.
A row that breaks the funnel's order (completed without being selected, a status at 6 or 12 months
without a completed training) goes to quarantine with its reason, as do bad codes and dates.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.candidates import COMMUNE_PATTERN, pseudonymise
from ingestion.casting import Column, apply_schema
from ingestion.errors import SourceFileError
from ingestion.readers.files import read_delimited
from ingestion.tables import ParsedTable

SOURCE = "programme"
TABLE = "participants"
ID_PREFIX = "part_"
REQUIRED_COLUMNS = ["participant_ref", "programme_code", "applied_at", "is_selected", "commune_code"]
OPTIONAL_COLUMNS = [
    "training_id",
    "training_end_at",
    "has_completed",
    "employed_6_months",
    "employed_12_months",
    "gender",
    "is_synthetic",
]
DESCRIPTION = (
    "One row per application to a regional training programme: pseudonymised participant_id, "
    "programme, application date, selection, training, end date, completion, employment at 6 and "
    "12 months (when known), commune, optional gender. Source: the operator's private CSV "
    "($PASSERELLE_DATA_DIR/private/programme_participants.csv) or, when there is none, the SYNTHETIC "
    "cohort written by ingestion.synthetic_programme (is_synthetic = true)."
)

SCHEMA = [
    Column("participant_id", required=True),
    Column("programme_code", required=True),
    Column("applied_at", "date", required=True, date_format="%Y-%m-%d"),
    Column("is_selected", "bool", required=True),
    Column("training_id"),
    Column("training_end_at", "date", date_format="%Y-%m-%d"),
    Column("has_completed", "bool"),
    Column("employed_6_months", "bool"),
    Column("employed_12_months", "bool"),
    Column("commune_code", required=True),
    Column("gender"),
    Column("is_synthetic", "bool"),
]


def _rule_violations(frame: pd.DataFrame) -> pd.Series:
    """Reasons (possibly empty) per typed row that breaks a code pattern or the funnel's order."""
    reasons = pd.Series("", index=frame.index, dtype="object")
    commune = frame["commune_code"].astype("string")
    bad_commune = ~commune.str.match(COMMUNE_PATTERN).fillna(False)
    reasons[bad_commune] += (
        "column 'commune_code': expected a 5-character INSEE commune code, found "
        + commune[bad_commune].map(repr)
        + "; "
    )
    gender = frame["gender"].astype("string").str.strip()
    bad_gender = gender.notna() & (gender != "") & ~gender.isin(["F", "M"])
    reasons[bad_gender] += "column 'gender': expected F, M or empty, found " + gender[bad_gender].map(repr) + "; "
    # Both become parts of the funnel's breakdown code (programme=...;training=...).
    for column in ("programme_code", "training_id"):
        values = frame[column].astype("string")
        bad = values.notna() & values.str.contains(r"[;=]").fillna(False)
        reasons[bad] += f"column {column!r}: expected no ';' or '=', found " + values[bad].map(repr) + "; "
    selected = frame["is_selected"].fillna(False).astype(bool)
    completed = frame["has_completed"].fillna(False).astype(bool)
    orders = [
        ("has_completed", completed & ~selected, "completed only by a selected applicant"),
        ("employed_6_months", frame["employed_6_months"].notna() & ~completed, "a status only after completion"),
        ("employed_12_months", frame["employed_12_months"].notna() & ~completed, "a status only after completion"),
    ]
    for column, broken, expected in orders:
        reasons[broken] += f"column {column!r}: expected {expected}; "
    return reasons


def parse_participants(path: Path, salt: str, *, is_synthetic: bool) -> ParsedTable:
    """Read, pseudonymise and validate a programme participants CSV; invalid rows go to quarantine."""
    frame, encoding = read_delimited(path, expected_columns=REQUIRED_COLUMNS)
    for column in OPTIONAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = pd.NA
    unexpected = set(frame.columns) - {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, "_source_file", "_row_number"}
    if unexpected:
        raise SourceFileError(path, "header", "only the documented columns", f"also {sorted(unexpected)}")
    frame.insert(0, "participant_id", pseudonymise(frame["participant_ref"], salt, prefix=ID_PREFIX))
    frame = frame.drop(columns=["participant_ref"])
    if frame["is_synthetic"].isna().all():
        frame["is_synthetic"] = "true" if is_synthetic else "false"
    elif not is_synthetic and frame["is_synthetic"].astype("string").str.lower().eq("true").any():
        raise SourceFileError(
            path, "column is_synthetic", "a private file of real participants", "rows marked synthetic"
        )
    rows, rejects = apply_schema(frame, SCHEMA)
    violations = _rule_violations(rows)
    if (violations != "").any():
        broken = rows.loc[violations != ""].astype("string").copy()
        broken["reject_reason"] = violations[violations != ""].str.rstrip("; ")
        rejects = pd.concat([rejects, broken], ignore_index=True)
        rows = rows.loc[violations == ""].reset_index(drop=True)
    duplicated = rows["participant_id"].duplicated(keep="first")
    if duplicated.any():
        repeated = rows.loc[duplicated].astype("string").copy()
        repeated["reject_reason"] = "column 'participant_ref': the same reference appears earlier in the file"
        rejects = pd.concat([rejects, repeated], ignore_index=True)
        rows = rows.loc[~duplicated].reset_index(drop=True)
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding})
