"""Typing of string frames, column by column, vectorised; rows that do not fit go to quarantine.

A parser describes each output column with a :class:`Column`; :func:`apply_schema` casts the whole
frame at once and splits it into the typed rows and the rejected rows, each rejected row keeping
its original strings plus a ``reject_reason`` that names the column, the expectation and the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ingestion.readers.files import ROW_NUMBER, SOURCE_FILE

ColumnType = Literal["string", "int", "float", "date", "timestamp", "bool"]
REJECT_REASON = "reject_reason"
# C0 control characters other than tab, line feed and carriage return, and DEL: never text.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

_TRUE = {"o", "oui", "y", "yes", "true", "1", "t", "vrai"}
_FALSE = {"n", "non", "no", "false", "0", "f", "faux"}


@dataclass(frozen=True)
class Column:
    """One output column: where it comes from, its type, and what counts as missing.

    ``null_values`` are source markers that mean "no value" (``*`` for statistical secrecy,
    ``nd`` for not released): they become NULL, never zero. ``required`` columns may not be NULL.
    ``date_format`` is a strptime pattern for ``date``/``timestamp`` columns (ISO when omitted).
    ``minimum``: the smallest value a number may take (counts are never negative).
    ``max_length``: the longest text accepted (an offer description is a few thousand characters;
    a 50 MB cell is a broken export, set aside rather than landed). Text holding a control
    character (other than tab and line breaks) is rejected too.
    """

    name: str
    type: ColumnType = "string"
    source: str | None = None
    null_values: frozenset[str] = field(default_factory=frozenset)
    required: bool = False
    date_format: str | None = None
    decimal_comma: bool = False
    minimum: float | None = None
    max_length: int = 1_000_000

    @property
    def source_name(self) -> str:
        return self.source or self.name


def columns(*specs: Column | str) -> list[Column]:
    """Shorthand: plain strings are string columns of the same name."""
    return [spec if isinstance(spec, Column) else Column(spec) for spec in specs]


def _describe(column_type: ColumnType, date_format: str | None) -> str:
    return {
        "string": "text",
        "int": "an integer",
        "float": "a number",
        "date": f"a date ({date_format or 'YYYY-MM-DD'})",
        "timestamp": f"a timestamp ({date_format or 'ISO 8601'})",
        "bool": "a yes/no flag (O/N, oui/non, true/false, 1/0)",
    }[column_type]


def _cast(values: pd.Series, spec: Column) -> pd.Series:
    if spec.type == "string":
        return values.astype("string")
    if spec.type in ("int", "float"):
        text = values.str.replace("\u202f", "", regex=False).str.replace("\xa0", "", regex=False)
        text = text.str.replace(" ", "", regex=False)
        if spec.decimal_comma:
            text = text.str.replace(",", ".", regex=False)
        numbers = pd.to_numeric(text, errors="coerce")
        if spec.type == "float":
            return numbers.astype("Float64")
        integral = numbers.where(np.isclose(numbers, np.round(numbers)) | numbers.isna())
        return integral.round().astype("Int64")
    if spec.type in ("date", "timestamp"):
        parsed = pd.to_datetime(values, format=spec.date_format, errors="coerce", utc=spec.type == "timestamp")
        if spec.type == "date":
            return parsed.dt.date.astype("object").where(parsed.notna(), None)
        return parsed
    if spec.type == "bool":
        lowered = values.str.strip().str.lower()
        result = pd.Series(pd.NA, index=values.index, dtype="boolean")
        result[lowered.isin(_TRUE)] = True
        result[lowered.isin(_FALSE)] = False
        return result
    raise ValueError(f"unknown column type {spec.type!r}")


def apply_schema(
    frame: pd.DataFrame, schema: Sequence[Column], keep: Iterable[str] = (SOURCE_FILE, ROW_NUMBER)
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cast ``frame`` (strings) to ``schema``; return (typed rows, rejected rows with reasons).

    Columns listed in ``keep`` (provenance) pass through unchanged and come first. A record with
    no value in any schema column (a blank line) is rejected as a blank record.
    """
    typed: dict[str, pd.Series] = {name: frame[name] for name in keep if name in frame.columns}
    reasons = pd.Series("", index=frame.index, dtype="object")
    has_value = pd.Series(False, index=frame.index)
    for spec in schema:
        raw = frame[spec.source_name].astype("string").str.strip()
        raw = raw.mask(raw == "")
        has_value |= raw.notna()
        if spec.null_values:
            raw = raw.mask(raw.isin(spec.null_values))
        cast = _cast(raw, spec)
        failed = raw.notna() & pd.Series(pd.isna(cast), index=frame.index)
        if failed.any():
            reasons[failed] += (
                f"column {spec.source_name!r}: expected {_describe(spec.type, spec.date_format)}, found "
                + raw[failed].astype(str).str.slice(0, 60).map(repr)
                + "; "
            )
        if spec.type == "string":
            control = raw.str.contains(CONTROL_CHARACTERS, regex=True).fillna(False).astype(bool)
            if control.any():
                found = raw[control].str.extract(f"({CONTROL_CHARACTERS})", expand=False)
                reasons[control] += (
                    f"column {spec.source_name!r}: expected text, found control character "
                    + found.map(lambda character: f"U+{ord(character):04X}")
                    + "; "
                )
            too_long = (raw.str.len() > spec.max_length).fillna(False).astype(bool)
            if too_long.any():
                reasons[too_long] += (
                    f"column {spec.source_name!r}: expected at most {spec.max_length:,} characters, found "
                    + raw[too_long].str.len().map("{:,}".format)
                    + "; "
                )
        if spec.minimum is not None:
            below = (pd.to_numeric(cast, errors="coerce") < spec.minimum).fillna(False).astype(bool)
            if below.any():
                reasons[below] += (
                    f"column {spec.source_name!r}: expected a value >= {spec.minimum:g}, found "
                    + raw[below].astype(str).map(repr)
                    + "; "
                )
        if spec.required:
            missing = raw.isna()
            if missing.any():
                reasons[missing] += f"column {spec.source_name!r}: expected a value, found nothing; "
        typed[spec.name] = cast
    if len(schema):
        # A blank line (or a record with no field read) is set aside, never silently skipped.
        reasons[~has_value] = "blank record: no value in any column"
    result = pd.DataFrame(typed, index=frame.index)
    rejected_mask = reasons != ""
    rejects = frame.loc[rejected_mask].astype("string").copy()
    rejects[REJECT_REASON] = reasons[rejected_mask].str.rstrip("; ")
    return result.loc[~rejected_mask].reset_index(drop=True), rejects.reset_index(drop=True)
