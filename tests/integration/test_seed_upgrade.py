"""A warehouse built by an older version keeps building: a seed whose columns changed is reloaded
whole (dbt_project.yml, seeds: +full_refresh), not inserted into the old table."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment

SEED = REPOSITORY_ROOT / "dbt_project" / "seeds" / "indicator_definitions_seed.csv"


@pytest.mark.slow  # a dbt invocation
def test_a_seed_with_new_columns_replaces_the_table_an_older_build_left(tmp_path: Path) -> None:
    with SEED.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = sum(1 for _ in reader)
    old_columns = header[:7]  # the seed before its count and unit columns were added
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as connection:
        connection.execute("create schema reference")
        connection.execute(
            "create table reference.indicator_definitions_seed ("
            + ", ".join(f"{column} varchar" for column in old_columns)
            + ")"
        )
    completed = subprocess.run(
        [str(VENV_BIN / "dbt"), "seed", "--profiles-dir", ".", "--select", "indicator_definitions_seed"],
        cwd=REPOSITORY_ROOT / "dbt_project",
        env=pipeline_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        columns = [
            name
            for (name,) in connection.execute(
                "select column_name from duckdb_columns() where table_name = 'indicator_definitions_seed' "
                "order by column_index"
            ).fetchall()
        ]
        count = connection.execute("select count(*) from reference.indicator_definitions_seed").fetchone()[0]  # type: ignore[index]
    assert columns == header
    assert len(header) > len(old_columns)
    assert count == rows
