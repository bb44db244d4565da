"""The publish step refuses a table about one person; aggregates named in the plural pass."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from matching.audience import assert_publishable


def _warehouse(path: Path, mart_columns: str) -> Path:
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema private")
        connection.execute(f"create table marts.funnel as select {mart_columns}")
        connection.execute("create table private.matches as select 'cand_0123' as candidate_id, 4.2 as distance_km")
    return path


def test_aggregates_are_publishable_and_the_private_schema_is_not(tmp_path: Path) -> None:
    warehouse = _warehouse(
        tmp_path / "warehouse.duckdb", "'44' as territory_code, 12 as candidates, 7 as candidates_matched"
    )
    assert_publishable(warehouse, "marts")
    with pytest.raises(ValueError, match=r"schema 'private' holds columns about one person.*candidate_id"):
        assert_publishable(warehouse, "private")


@pytest.mark.parametrize("column", ["candidate_id", "candidate_max_distance_km", "gender", "registered_at"])
def test_a_person_column_in_a_mart_stops_the_publication(tmp_path: Path, column: str) -> None:
    warehouse = _warehouse(tmp_path / "warehouse.duckdb", f"'x' as {column}")
    with pytest.raises(ValueError, match=rf"{column}.*models/private"):
        assert_publishable(warehouse, "marts")
