"""The quality suite of every raw table, derived from its declaration, and its validation.

Nothing here is written table by table: the suite of a :class:`ingestion.tables.RawTable` comes
from the parser's declared columns (``schema``: each column exists with its type, required columns
are never NULL) and from the rules declared next to the source (``rules``: unique keys, code
formats, value ranges, dates not in the future, positions inside France), plus "at least one row".
It runs on what landed in the raw zone, read back from Parquet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.casting import Column, ColumnType
from ingestion.rules import FRANCE_BOXES, FUTURE_TOLERANCE, RowRule
from ingestion.tables import RawTable
from quality.gx_runner import Expectation, SuiteOutcome, gx, validate

# What a landed column of each declared type holds once read back from Parquet: its pandas dtype,
# or, for nullable extension dtypes, which GX inspects value by value, the values' type.
LANDED_TYPES: dict[ColumnType, list[str]] = {
    "int": ["Int64Dtype", "int64"],
    "float": ["Float64Dtype", "float64"],
    "date": ["date"],
    # GX 1.x cannot match a tz-aware dtype: read_landed hands it UTC timestamps as naive UTC.
    "timestamp": ["datetime64[us]", "datetime64[ns]", "datetime64[ms]"],
    "bool": ["BooleanDtype", "bool"],
}

_LATITUDES = (min(box.min_latitude for box in FRANCE_BOXES), max(box.max_latitude for box in FRANCE_BOXES))
_LONGITUDES = (min(box.min_longitude for box in FRANCE_BOXES), max(box.max_longitude for box in FRANCE_BOXES))


def _schema_expectations(schema: Sequence[Column], landed_types: dict[str, ColumnType]) -> list[Expectation]:
    """Declared columns all present (one expectation), typed columns typed, required never NULL.

    Text is the default type of every reader, so only the typed columns get a type expectation: a
    text column cannot land as anything else without its parser changing.
    """
    if not schema:
        return []
    expectations: list[Expectation] = [
        gx.expectations.ExpectTableColumnsToMatchSet(column_set=[spec.name for spec in schema], exact_match=False)
    ]
    for spec in schema:
        landed_type = landed_types.get(spec.name, spec.type)
        if landed_type != "string":
            expectations.append(
                gx.expectations.ExpectColumnValuesToBeInTypeList(column=spec.name, type_list=LANDED_TYPES[landed_type])
            )
        if spec.required:
            expectations.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=spec.name))
    return expectations


def _latest_allowed(column_type: ColumnType | None, now: datetime) -> date | datetime:
    latest = now.astimezone(UTC) + FUTURE_TOLERANCE
    return latest.date() if column_type == "date" else latest.replace(tzinfo=None)


def _rule_expectations(rule: RowRule, types: dict[str, ColumnType], now: datetime) -> list[Expectation]:
    if rule.kind == "matches":
        return [gx.expectations.ExpectColumnValuesToMatchRegex(column=rule.column, regex=rule.pattern)]
    if rule.kind == "between":
        return [
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=rule.column, min_value=rule.min_value, max_value=rule.max_value
            )
        ]
    if rule.kind == "not_in_future":
        return [
            gx.expectations.ExpectColumnMaxToBeBetween(
                column=rule.column, max_value=_latest_allowed(types.get(rule.column), now)
            )
        ]
    # Inside France: quarantine tested each box; the suite checks the envelope of the boxes.
    return [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=rule.column, min_value=_LATITUDES[0], max_value=_LATITUDES[1]
        ),
        gx.expectations.ExpectColumnValuesToBeBetween(
            column=rule.other_column, min_value=_LONGITUDES[0], max_value=_LONGITUDES[1]
        ),
    ]


def raw_suite(raw_table: RawTable, now: datetime | None = None) -> list[Expectation]:
    """The expectations of one raw table, from its declared schema and rules."""
    now = now or datetime.now(UTC)
    types = {spec.name: spec.type for spec in raw_table.schema} | raw_table.rules.landed_types
    expectations: list[Expectation] = [gx.expectations.ExpectTableRowCountToBeBetween(min_value=1)]
    expectations += _schema_expectations(raw_table.schema, raw_table.rules.landed_types)
    unique = raw_table.rules.unique
    if len(unique) == 1:
        expectations.append(gx.expectations.ExpectColumnValuesToBeUnique(column=unique[0]))
    elif unique:
        expectations.append(gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(unique)))
    for rule in raw_table.rules.row_rules:
        expectations += _rule_expectations(rule, types, now)
    return expectations


def read_landed(table_directory: Path) -> pd.DataFrame:
    """The landed rows of every partition of one raw table (``<table>/<partition>/*.parquet``), as
    pandas; UTC timestamps as naive UTC. Day-partitioned tables (job offers) are checked whole."""
    # One Arrow table, converted to pandas once: the offers' 169 day partitions converted one by
    # one and concatenated in pandas took 5 s of the 0.2 s their 1,879 rows need.
    parts = [pq.read_table(path) for path in sorted(table_directory.glob("*/*.parquet"))]
    frame = pa.concat_tables(parts, promote_options="default").to_pandas()
    for column in frame.columns:
        if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
            frame[column] = frame[column].dt.tz_convert("UTC").dt.tz_localize(None)
    return frame


def validate_raw_table(raw_table: RawTable, table_directory: Path) -> SuiteOutcome:
    return validate(f"raw.{raw_table.source}.{raw_table.table}", read_landed(table_directory), raw_suite(raw_table))
