"""Primary and secondary suppression on hand-built tables whose safe answer is known."""

from __future__ import annotations

import pandas as pd
import pytest

from matching.secrecy import protect, territory_parents

COMMUNES = pd.DataFrame(
    {
        "commune_code": ["57001", "57002", "54001", "54002", "88001"],
        "departement_code": ["57", "57", "54", "54", "88"],
        "region_code": ["44"] * 5,
    }
)


def _cells(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(level, code, "2025", breakdown, name, count) for level, code, breakdown, name, count in rows],
        columns=["territory_level", "territory_code", "period", "breakdown_code", "count_name", "count"],
    )


def _rules(result: pd.DataFrame) -> dict[tuple[str, str, str], object]:
    return {
        (row.territory_code, row.breakdown_code, row.count_name): row.suppression_rule
        for row in result.itertuples()
        if row.is_suppressed
    }


def test_parents_are_every_coarser_level_where_a_child_lies_in_one_parent() -> None:
    communes = pd.concat(
        [
            COMMUNES,
            pd.DataFrame(
                {
                    "commune_code": ["88002"],
                    "departement_code": ["88"],
                    "region_code": ["44"],
                    "zone_emploi_code": ["Z1"],
                }
            ),
        ],
        ignore_index=True,
    )
    communes.loc[0, "zone_emploi_code"] = "Z1"  # Z1 spans 57 and 88: it adds up to the région only
    parents = territory_parents(communes)
    pairs = set(map(tuple, parents.to_numpy()))
    assert ("departement", "57", "region", "44") in pairs
    assert ("region", "44", "france", "FR") in pairs
    assert ("commune", "57001", "departement", "57") in pairs
    assert ("zone_emploi", "Z1", "region", "44") in pairs
    assert not any(child == "Z1" and parent_level == "departement" for _, child, parent_level, _ in pairs)


def test_a_lone_suppressed_child_takes_the_smallest_sibling_with_it() -> None:
    # région 70 = 4 + 30 + 36: without a second suppression, 70 - 30 - 36 gives the 4 back.
    cells = _cells(
        [
            ("region", "44", "all", "jobseekers", 70),
            ("departement", "57", "all", "jobseekers", 4),
            ("departement", "54", "all", "jobseekers", 30),
            ("departement", "88", "all", "jobseekers", 36),
        ]
    )
    result = protect(cells, territory_parents(COMMUNES), [], suppress_below=5)
    assert _rules(result) == {
        ("57", "all", "jobseekers"): "primary",
        ("54", "all", "jobseekers"): "secondary_hierarchy",
    }
    primary_only = protect(cells, territory_parents(COMMUNES), [], suppress_below=5, secondary=False)
    assert _rules(primary_only) == {("57", "all", "jobseekers"): "primary"}


def test_two_small_children_are_not_enough_when_their_sum_is_below_the_threshold() -> None:
    cells = _cells(
        [
            ("region", "44", "all", "jobseekers", 40),
            ("departement", "57", "all", "jobseekers", 1),
            ("departement", "54", "all", "jobseekers", 2),
            ("departement", "88", "all", "jobseekers", 37),
        ]
    )
    rules = _rules(protect(cells, territory_parents(COMMUNES), [], suppress_below=5))
    # 1 + 2 = 3 people would be disclosed as a group: 37 goes too (nothing smaller is left).
    assert rules[("88", "all", "jobseekers")] == "secondary_hierarchy"
    assert len(rules) == 3


def test_complement_and_shared_cells_and_breakdowns_reach_a_fixed_point() -> None:
    cells = _cells(
        [
            # 14 of 16 candidates matched: the 2 unmatched would be read as 16 - 14.
            ("departement", "57", "all", "candidates", 16),
            ("departement", "57", "all", "candidates_matched", 14),
            ("departement", "54", "all", "candidates", 25),
            ("departement", "54", "all", "candidates_matched", 10),
            ("departement", "88", "all", "candidates", 30),
            ("departement", "88", "all", "candidates_matched", 12),
            ("region", "44", "all", "candidates", 71),
            ("region", "44", "all", "candidates_matched", 36),
            # families of the région's candidates: K 3 (primary), M 60, N 8
            ("region", "44", "K", "candidates", 3),
            ("region", "44", "M", "candidates", 60),
            ("region", "44", "N", "candidates", 8),
        ]
    )
    result = protect(cells, territory_parents(COMMUNES), [("candidates_matched", "candidates")], suppress_below=5)
    rules = _rules(result)
    assert rules[("57", "all", "candidates_matched")] == "complement"
    # then 36 - 10 - 12 would give the 14 back: the smaller of the other départements goes too
    assert rules[("54", "all", "candidates_matched")] == "secondary_hierarchy"
    assert rules[("44", "K", "candidates")] == "primary"
    assert rules[("44", "N", "candidates")] == "secondary_breakdown"
    assert ("44", "M", "candidates") not in rules and ("57", "all", "candidates") not in rules
    published = result[~result["is_suppressed"]]
    assert len(published) == len(cells) - 4


def test_a_cell_with_two_values_is_an_error() -> None:
    cells = _cells([("region", "44", "all", "candidates", 7), ("region", "44", "all", "candidates", 8)])
    with pytest.raises(ValueError, match="two values"):
        protect(cells, territory_parents(COMMUNES), [], suppress_below=5)


def test_ties_are_broken_the_same_way_whatever_the_order_of_the_rows() -> None:
    # région 45 = 3 + 21 + 21: the 3 needs one more suppression, and the two 21s tie. Whichever is
    # chosen must not depend on the order the rows arrive in (DuckDB gives no order): two runs
    # suppressing different 21s would publish both, and 45 - 3 - 21 gives the other back.
    rows = [
        ("region", "44", "all", "jobseekers", 45),
        ("departement", "57", "all", "jobseekers", 3),
        ("departement", "54", "all", "jobseekers", 21),
        ("departement", "88", "all", "jobseekers", 21),
    ]
    forward = _rules(protect(_cells(rows), territory_parents(COMMUNES), [], suppress_below=5))
    backward = _rules(protect(_cells(rows[::-1]), territory_parents(COMMUNES), [], suppress_below=5))
    assert forward == backward
    assert forward[("57", "all", "jobseekers")] == "primary" and len(forward) == 2
