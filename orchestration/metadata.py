"""Small helpers that turn frames into Dagster metadata values."""

from __future__ import annotations

import dagster as dg
import pandas as pd


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
