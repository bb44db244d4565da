"""The common case: one delimited file, one schema, one raw table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ingestion.casting import Column, apply_schema
from ingestion.readers.files import ROW_NUMBER, SOURCE_FILE, read_delimited
from ingestion.tables import ParsedTable


def parse_delimited(
    path: Path,
    schema: Sequence[Column],
    *,
    separator: str = ",",
    column_names: list[str] | None = None,
) -> ParsedTable:
    """Read ``path`` and type it with ``schema``; the schema's source columns must all be present."""
    frame, encoding = read_delimited(
        path,
        separator=separator,
        expected_columns=None if column_names else [spec.source_name for spec in schema],
        column_names=column_names,
    )
    rows, rejects = apply_schema(frame, schema)
    read = {spec.source_name for spec in schema} | {SOURCE_FILE, ROW_NUMBER}
    # A column the schema does not read is said, not silently dropped (it may be a renamed one).
    extra = [str(column) for column in frame.columns if column not in read]
    notes: dict[str, object] = {"columns_not_landed": ", ".join(extra)} if extra else {}
    return ParsedTable(rows=rows, rejects=rejects, files=[path], encodings={path.name: encoding}, notes=notes)
