"""The five example queries of docs/analysts.md run on the published database and answer sensibly."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPOSITORY_ROOT

pytestmark = pytest.mark.e2e

GRAND_EST_DEPARTEMENTS = {
    "Ardennes",
    "Aube",
    "Marne",
    "Haute-Marne",
    "Meurthe-et-Moselle",
    "Meuse",
    "Moselle",
    "Bas-Rhin",
    "Haut-Rhin",
    "Vosges",
}


def _queries() -> list[str]:
    text = (REPOSITORY_ROOT / "docs" / "analysts.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)


@pytest.fixture(scope="module")
def answers(built_pipeline: tuple[Path, str]) -> list[list[tuple]]:
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        # the first sql block reads a Parquet file by its documented relative path
        return [connection.execute(query).fetchall() for query in _queries()[1:]]


def test_analysts_guide_has_five_example_queries_and_a_parquet_one() -> None:
    queries = _queries()
    assert len(queries) == 6
    assert "read_parquet('data/published/parquet/skill_demand.parquet')" in queries[0]


def test_the_parquet_copy_reads_like_the_database(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    query = _queries()[0].replace("data/published", str(data_dir / "published"))
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        assert len(connection.execute(query).fetchall()) == 5
        parquet = connection.execute(
            f"select count(*) from read_parquet('{data_dir}/published/parquet/skill_demand.parquet')"
        ).fetchone()
        database = connection.execute("select count(*) from marts.skill_demand").fetchone()
    assert parquet == database


def test_top_skills_of_the_region(answers: list[list[tuple]]) -> None:
    rows = answers[0]
    assert len(rows) == 10
    counts = [row[1] for row in rows]
    assert counts == sorted(counts, reverse=True) and counts[-1] > 0


def test_postings_per_month_and_departement(answers: list[list[tuple]]) -> None:
    rows = answers[1]
    assert {row[1] for row in rows} <= GRAND_EST_DEPARTEMENTS
    assert len({row[1] for row in rows}) >= 5
    assert all(row[2] > 0 for row in rows)


def test_skills_no_training_teaches(answers: list[list[tuple]]) -> None:
    rows = answers[2]
    assert len(rows) == 10 and all(row[1] > 0 for row in rows)


def test_employment_after_training(answers: list[list[tuple]]) -> None:
    rows = answers[3]
    assert {row[0] for row in rows} <= GRAND_EST_DEPARTEMENTS and len(rows) >= 5
    assert all(0 < row[2] < 1 for row in rows)


def test_nearest_training_per_posting(answers: list[list[tuple]]) -> None:
    rows = answers[4]
    # one row per M1801 posting of the region with a match; the distance is NULL only where the
    # match was found at region level and the posting or the training has no position
    distances = [row[2] for row in rows if row[2] is not None]
    assert len(rows) == 53 and len(distances) == 51
    assert all(distance >= 0 for distance in distances) and distances == sorted(distances)
