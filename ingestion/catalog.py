"""Every raw table passerelle lands, by source module. Orchestration builds one asset per entry."""

from __future__ import annotations

from ingestion import (
    bmo,
    commune_positions,
    dares,
    esco,
    fap,
    france_travail,
    france_travail_stats,
    geography,
    inserjeunes,
    jobseekers,
    rome,
    rome_crosswalks,
    training_sources,
)
from ingestion.tables import RawTable

RAW_TABLES: list[RawTable] = [
    *rome.TABLES,
    *rome_crosswalks.TABLES,
    *fap.TABLES,
    *esco.TABLES,
    *geography.TABLES,
    *commune_positions.TABLES,
    *bmo.TABLES,
    *france_travail.TABLES,
    *france_travail_stats.TABLES,
    *jobseekers.TABLES,
    *inserjeunes.TABLES,
    *dares.TABLES,
    *training_sources.TABLES,
]


def by_key() -> dict[tuple[str, str], RawTable]:
    tables = {table.key: table for table in RAW_TABLES}
    if len(tables) != len(RAW_TABLES):
        raise ValueError("two raw tables share a [source, table] key")
    return tables
