"""Small helpers that turn frames into Dagster metadata values."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from ingestion.tables import ParsedTable


def markdown_preview(frame: pd.DataFrame, rows: int = 10, max_cell: int = 40) -> dg.MetadataValue:
    """The first rows as a Markdown table (cells cut to ``max_cell`` characters)."""
    head = frame.head(rows)
    visible = [column for column in head.columns if not str(column).startswith("_")]

    def cell(value: object) -> str:
        text = "" if pd.isna(value) else str(value)  # type: ignore[arg-type]
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= max_cell else text[: max_cell - 1] + "…"

    lines = [
        "| " + " | ".join(visible) + " |",
        "|" + "---|" * len(visible),
        *("| " + " | ".join(cell(row[c]) for c in visible) + " |" for _, row in head.iterrows()),
    ]
    return dg.MetadataValue.md("\n".join(lines))


def rows_read_metadata(parsed: ParsedTable) -> dict[str, dg.MetadataValue]:
    """Source records counted apart from the parser, and how; says so when nobody counted them."""
    if parsed.records_read is None:
        return {"rows_read": dg.MetadataValue.text("not counted")}
    return {
        "rows_read": dg.MetadataValue.int(parsed.records_read),
        "rows_read_counted_as": dg.MetadataValue.text(parsed.counted_as or ""),
    }
