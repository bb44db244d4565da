"""Every raw table passerelle lands, by source module. Orchestration builds one asset per entry."""

from __future__ import annotations

from ingestion import rome
from ingestion.tables import RawTable

RAW_TABLES: list[RawTable] = [
    *rome.TABLES,
]


def by_key() -> dict[tuple[str, str], RawTable]:
    tables = {table.key: table for table in RAW_TABLES}
    if len(tables) != len(RAW_TABLES):
        raise ValueError("two raw tables share a [source, table] key")
    return tables
