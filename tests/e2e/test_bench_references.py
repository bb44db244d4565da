"""The benchmark's pandas reference on the shared build: the plain-pandas skill_demand equals the
dbt mart cell for cell."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.pipeline import skill_demand_reference

pytestmark = pytest.mark.e2e


def test_pandas_skill_demand_equals_the_mart(built_warehouse: Path, tmp_path: Path) -> None:
    # skill_demand_reference raises when a single cell differs from marts.skill_demand
    seconds, rows = skill_demand_reference(built_warehouse, tmp_path)
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        region_rows = connection.execute(
            "select count(*) from marts.skill_demand where territory_level = 'region'"
        ).fetchone()[0]  # type: ignore[index]
    assert rows > region_rows > 0
    assert seconds > 0
