"""A warehouse built by an older version keeps building: a seed whose columns changed is reloaded
whole (dbt_project.yml, seeds: +full_refresh), and a relation no model builds any more (a model
removed, or moved to schema private) is dropped before anything is built (on-run-start)."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPOSITORY_ROOT, VENV_BIN, pipeline_environment

SEED = REPOSITORY_ROOT / "dbt_project" / "seeds" / "indicator_definitions_seed.csv"


@pytest.mark.slow  # a dbt invocation
def test_a_warehouse_an_older_version_built_is_brought_to_the_current_models(tmp_path: Path) -> None:
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
        # posting_candidate_matches moved from marts to private: the old copy in marts holds a
        # column about one person, which the publish step refuses to copy.
        connection.execute("create schema marts")
        connection.execute("create table marts.posting_candidate_matches (posting_id varchar, candidate_id varchar)")
        connection.execute("create schema staging")
        connection.execute("create view staging.stg_removed__things as select 1 as thing")
        connection.execute("create schema scratch")  # not a schema the project builds into: untouched
        connection.execute("create table scratch.notes (note varchar)")
    completed = subprocess.run(
        # Its own target folder: dbt rewrites target/manifest.json in place, and other processes
        # of the session (a `passerelle run` starting) read the project's.
        [
            str(VENV_BIN / "dbt"),
            "seed",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "dbt_target"),
            "--select",
            "indicator_definitions_seed",
        ],
        cwd=REPOSITORY_ROOT / "dbt_project",
        env=pipeline_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert "dropping table marts.posting_candidate_matches: no model of the project builds it" in completed.stdout
    assert "dropping view staging.stg_removed__things: no model of the project builds it" in completed.stdout
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as connection:
        columns = [
            name
            for (name,) in connection.execute(
                "select column_name from duckdb_columns() where table_name = 'indicator_definitions_seed' "
                "order by column_index"
            ).fetchall()
        ]
        count = connection.execute("select count(*) from reference.indicator_definitions_seed").fetchone()[0]  # type: ignore[index]
        relations = {
            f"{schema}.{name}"
            for schema, name in connection.execute(
                "select schema_name, table_name from duckdb_tables() "
                "union all select schema_name, view_name from duckdb_views() where not internal"
            ).fetchall()
        }
    assert relations == {"reference.indicator_definitions_seed", "scratch.notes"}
    assert columns == header
    assert len(header) > len(old_columns)
    assert count == rows
