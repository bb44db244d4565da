"""The example queries of the README run on the published database and answer something."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPOSITORY_ROOT

pytestmark = pytest.mark.e2e


def _readme_queries() -> list[str]:
    text = (REPOSITORY_ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_five_example_queries() -> None:
    assert len(_readme_queries()) == 5


@pytest.mark.parametrize("query_index", range(5))
def test_readme_query_runs_on_the_published_database(built_pipeline: tuple[Path, str], query_index: int) -> None:
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        rows = connection.execute(_readme_queries()[query_index]).fetchall()
    assert rows, f"README query {query_index + 1} returned nothing"
    if query_index == 1:
        # Grand Est, BMO 2024: every one of the 10 métiers has a published difficulty rate above 0.9
        assert len(rows) == 10 and all(row[4] > 0.9 for row in rows)
    if query_index == 2:
        # one row per Grand Est département with postings; shares between 0 and 1
        assert {row[0] for row in rows} <= {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}
        assert all(0 <= row[4] <= 1 for row in rows)
    if query_index == 3:
        # the funding plan: five ranked rows for each of the Metz and Nancy bassins
        assert sorted({row[0].split()[0].lower() for row in rows}) == ["metz", "nancy"]
        assert [row[1] for row in rows] == [1, 2, 3, 4, 5] * 2
    if query_index == 4:
        # the programme funnel: 7 stages from the 1,000 applications of the SYNTHETIC cohort
        assert len(rows) == 7 and rows[0][1] == "applications" and rows[0][2] == 1000
