"""Composite breakdowns: each dimension is its own relation."""

import pandas as pd

from matching.secrecy import protect, suppress_close_counts


def _cells(rows: list[tuple[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [("region", "44", "snapshot", code, "applications", count) for code, count in rows],
        columns=["territory_level", "territory_code", "period", "breakdown_code", "count_name", "count"],
    )


def test_each_dimension_of_a_composite_breakdown_is_protected_against_its_total() -> None:
    # sex: F 3 (primary), M 40 -> the total 43 would give F back: M is hidden too.
    # training: T1 20, T2 23 -> nothing hidden along that dimension, both stay published.
    cells = _cells(
        [
            ("programme=P;sex=all;training=all", 43),
            ("programme=P;sex=F;training=all", 3),
            ("programme=P;sex=M;training=all", 40),
            ("programme=P;sex=all;training=T1", 20),
            ("programme=P;sex=all;training=T2", 23),
        ]
    )
    no_parents = pd.DataFrame(columns=["child_level", "child_code", "parent_level", "parent_code"])
    result = protect(cells, no_parents, [], suppress_below=5)
    rules = {row.breakdown_code: row.suppression_rule if row.is_suppressed else None for row in result.itertuples()}
    assert rules == {
        "programme=P;sex=F;training=all": "primary",
        "programme=P;sex=M;training=all": "secondary_breakdown",
        "programme=P;sex=all;training=all": None,
        "programme=P;sex=all;training=T1": None,
        "programme=P;sex=all;training=T2": None,
    }


def test_close_counts_of_one_group_hide_the_smaller() -> None:
    counts = pd.Series([12, 14, 30, 12, 40, 3])
    groups = pd.DataFrame({"commune_code": ["A", "A", "A", "A", "B", "A"], "rome_code": ["X"] * 6})
    primary = counts < 5
    close = suppress_close_counts(counts, groups, primary, suppress_below=5)
    # 12 and 14 are 2 apart: both 12s hide (equal counts differ by nobody); 14 and 30 stay; B alone.
    assert close.tolist() == [True, False, False, True, False, False]
