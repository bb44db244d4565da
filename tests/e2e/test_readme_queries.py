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


def test_readme_has_three_example_queries() -> None:
    assert len(_readme_queries()) == 3


@pytest.mark.parametrize("query_index", range(3))
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
