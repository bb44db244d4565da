"""Small helpers that turn frames into Dagster metadata values."""

from __future__ import annotations

import dagster as dg
import pandas as pd


def markdown_preview(frame: pd.DataFrame, rows: int = 10, max_cell: int = 40) -> dg.MetadataValue:
    """The first rows as a Markdown table (cells cut to ``max_cell`` characters)."""
    head = frame.head(rows)
    visible = [column for column in head.columns if not str(column).startswith("_")]

    def cell(value: object) -> str:
        if not pd.api.types.is_scalar(value):  # a list column (skill codes): its items, comma separated
            text = ", ".join(str(item) for item in value)  # type: ignore[attr-defined]
        else:
            text = "" if pd.isna(value) else str(value)  # type: ignore[arg-type]
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= max_cell else text[: max_cell - 1] + "…"

    lines = [
        "| " + " | ".join(visible) + " |",
        "|" + "---|" * len(visible),
        *("| " + " | ".join(cell(row[c]) for c in visible) + " |" for _, row in head.iterrows()),
    ]
    return dg.MetadataValue.md("\n".join(lines))


def rows_read_metadata(records_read: int | None, counted_as: str | None) -> dict[str, dg.MetadataValue]:
    """Source records counted apart from the parser, and how; says so when nobody counted them.
    The figures of a parsed table (``records_read``, ``counted_as``), or of a landed manifest."""
    if records_read is None:
        return {"rows_read": dg.MetadataValue.text("not counted")}
    return {
        "rows_read": dg.MetadataValue.int(records_read),
        "rows_read_counted_as": dg.MetadataValue.text(counted_as or ""),
    }


def markdown_bar_chart(title: str, rows: list[tuple[object, object]], width: int = 30) -> dg.MetadataValue:
    """(label, value) rows as a Markdown table with a bar of block characters per row.

    The Dagster UI renders Markdown metadata, so the bar column reads as a small chart.
    """
    values = [float(value) for _, value in rows if value is not None]
    largest = max(values, default=0.0) or 1.0
    lines = [f"**{title}**", "", "| | value | |", "|---|---:|---|"]
    for label, value in rows:
        bar = "█" * max(1, round(width * float(value) / largest)) if value else ""
        shown = f"{value:,.2f}" if isinstance(value, float) else f"{value:,}"
        lines.append(f"| {str(label).replace('|', '/')} | {shown} | {bar} |")
    if not rows:
        lines.append("| (no rows for this region) | | |")
    return dg.MetadataValue.md("\n".join(lines))


def row_count_change(current: int, previous: int | None) -> dict[str, dg.MetadataValue]:
    """The row count against the previous materialization's (absent on the first run)."""
    if previous is None:
        return {"row_count_change": dg.MetadataValue.text("first materialization")}
    change = current - previous
    return {
        "previous_row_count": dg.MetadataValue.int(previous),
        "row_count_change": dg.MetadataValue.int(change),
        "row_count_change_pct": dg.MetadataValue.float(round(100.0 * change / previous, 2) if previous else 0.0),
    }


def _column_type(values: pd.Series) -> str:
    """The Column type (ingestion.casting) that a cast column's dtype stands for."""
    dtype = str(values.dtype)
    if dtype.startswith(("Int", "int")):
        return "int"
    if dtype.startswith(("Float", "float")):
        return "float"
    if dtype.startswith("datetime"):
        return "timestamp"
    if dtype in ("boolean", "bool"):
        return "bool"
    if dtype == "object" and len(values.dropna()) and type(values.dropna().iloc[0]).__name__ == "date":
        return "date"
    return "string"


def column_schema(frame: pd.DataFrame) -> dg.TableSchema:
    """The columns of a parsed raw table as the parser typed them (casting.apply_schema), in order."""
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=str(name),
                type=_column_type(frame[name]),
                constraints=dg.TableColumnConstraints(nullable=bool(frame[name].isna().any()) or frame.empty),
            )
            for name in frame.columns
        ]
    )
