"""Statistical secrecy of published counts of people: primary and secondary suppression.

The rules are those French official statistics apply to counts of people (InserJeunes,
Trajectoires Pro; primary and secondary suppression as in tau-argus). They protect **count
cells**: one count of people (``count_name``, e.g. ``candidates`` or ``jobseekers_defm``) for one
(territory, period, breakdown). A published row shows a cell as its numerator or denominator;
the same cell can appear in several rows (the denominator of one funnel stage is the numerator of
the previous one), so a cell is suppressed everywhere or nowhere. Counts of postings, trainings,
skill mentions or hiring projects are not people and are never suppressed.

1. **primary**: a count below ``suppress_below`` (5) is suppressed.
2. **complement**: where a count is a part of another (``part`` of ``whole``: women among
   jobseekers, matched among candidates), ``whole - part`` counts people too: when it is below
   ``suppress_below`` the part is suppressed, so that the small complementary group cannot be
   read as a difference.
3. **secondary_hierarchy**: every territory whose children (commune, zone d'emploi, bassin BMO,
   département, région, France: every pair where each child lies in one parent) add up to it
   forms a relation ``parent = sum(children)``. In each relation with a published parent, the
   suppressed children must be none, or at least two that together count ``suppress_below``
   people or more; with a suppressed parent, at least one child must be suppressed. Otherwise
   the published child with the smallest count is suppressed too (least information lost); with
   no child left, the parent.
4. **secondary_breakdown**: the same for a breakdown (an occupation family, ...) and its
   ``all`` total in the same territory; for a composite code (``programme=P;sex=F;training=all``)
   along each dimension: the parts differing in that dimension only and their ``...=all`` total.

5. **close_count** (:func:`suppress_close_counts`, for counts of overlapping sets of people such
   as the candidates within reach of each training): two published counts of one group less than
   ``suppress_below`` apart hide the smaller.

Steps 3 and 4 repeat until no relation can be solved for a single suppressed cell (a fixed
point). Each step is set-based (pandas group-bys over all relations at once); only the iterations
loop. Relations are treated as exact even where a source's parent total is not the exact sum of
its children, which only suppresses more. ``secondary=False`` applies the primary rule alone
(the switch the disclosure test uses to show what differencing recovers without steps 2 to 4).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

PRIMARY = "primary"
COMPLEMENT = "complement"
SECONDARY_HIERARCHY = "secondary_hierarchy"
SECONDARY_BREAKDOWN = "secondary_breakdown"
CLOSE_COUNT = "close_count"
RULES = (PRIMARY, COMPLEMENT, SECONDARY_HIERARCHY, SECONDARY_BREAKDOWN)
# Territory levels from the finest; a relation is a (parent level, child level) pair in this order.
TERRITORY_LEVELS = ("commune", "bassin_bmo", "zone_emploi", "departement", "region", "france")
TOTAL_BREAKDOWN = "all"
# Between the dimensions of a composite breakdown code (``programme=P;sex=F;training=all``): a
# character no training id holds (the RCO flow's ids hold '|').
COMPONENT_SEPARATOR = ";"
CELL_KEY = ["territory_level", "territory_code", "period", "breakdown_code", "count_name"]
# Where the pipeline records the outcome of these rules, one row per indicator row.
PROTECTED_TABLE = "intermediate.int_outcome_indicators_protected"


def territory_parents(communes: pd.DataFrame) -> pd.DataFrame:
    """Every (child territory, parent territory) pair where the child lies in one parent only.

    ``communes`` has one row per commune with a ``<level>_code`` column for each coarser level of
    :data:`TERRITORY_LEVELS` present (``commune_code``, ``departement_code``, ...); France is
    added. Returns child_level, child_code, parent_level, parent_code.
    """
    frame = communes.copy()
    frame["france_code"] = "FR"
    levels = [level for level in TERRITORY_LEVELS if f"{level}_code" in frame.columns]
    pairs = []
    for position, child in enumerate(levels):
        for parent in levels[position + 1 :]:
            links = frame[[f"{child}_code", f"{parent}_code"]].dropna().drop_duplicates()
            links.columns = ["child_code", "parent_code"]
            # A child spread over several parents does not add up into any of them.
            links = links[links.groupby("child_code")["parent_code"].transform("nunique") == 1]
            pairs.append(links.assign(child_level=child, parent_level=parent))
    columns = ["child_level", "child_code", "parent_level", "parent_code"]
    return pd.concat(pairs, ignore_index=True)[columns] if pairs else pd.DataFrame(columns=columns)


def _relations(cells: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """Membership of cells in relations: relation, cell (index into ``cells``), is_total, kind."""
    indexed = cells.reset_index(names="cell")
    by_territory = indexed.set_index(CELL_KEY)["cell"]
    members = []
    # Hierarchy: children of one parent, same count, period and breakdown.
    children = indexed.merge(
        parents, left_on=["territory_level", "territory_code"], right_on=["child_level", "child_code"]
    )
    totals = children[["parent_level", "parent_code", "period", "breakdown_code", "count_name"]].drop_duplicates()
    total_keys = pd.MultiIndex.from_frame(
        totals.rename(columns={"parent_level": "territory_level", "parent_code": "territory_code"})[CELL_KEY]
    )
    totals["cell"] = by_territory.reindex(total_keys).to_numpy()
    relation_key = ["parent_level", "parent_code", "child_level", "period", "breakdown_code", "count_name"]
    totals = totals.dropna(subset=["cell"])  # no published parent: no relation to difference
    children = children.merge(totals[["parent_level", "parent_code", "period", "breakdown_code", "count_name"]])
    hierarchy = pd.concat(
        [
            children[[*relation_key, "cell"]].assign(is_total=False),
            children[relation_key].drop_duplicates().merge(totals).assign(is_total=True),
        ],
        ignore_index=True,
    )
    hierarchy["relation"] = hierarchy.groupby(relation_key, dropna=False).ngroup()
    members.append(hierarchy.assign(kind=SECONDARY_HIERARCHY)[["relation", "cell", "is_total", "kind"]])
    # Breakdown: the parts of one territory, period and count, and their total. A plain code
    # (an occupation family) is a part of 'all'. A composite code 'dim=value;dim=value' (the
    # programme funnel: programme, sex, training) is a part, along each dimension whose value is
    # not 'all', of the same code with that value set to 'all': each dimension is its own relation.
    group_key = ["territory_level", "territory_code", "period", "count_name"]
    components = indexed[["cell", "breakdown_code"]].assign(
        component=indexed["breakdown_code"].str.split(COMPONENT_SEPARATOR)
    )
    components = components.explode("component")
    components["position"] = components.groupby(level=0).cumcount()
    components = components[components["component"] != TOTAL_BREAKDOWN]
    components = components[~components["component"].str.endswith("=" + TOTAL_BREAKDOWN)]
    dimension = components["component"].str.split("=", n=1).str[0]
    total_component = np.where(
        components["component"].str.contains("=", regex=False), dimension + "=" + TOTAL_BREAKDOWN, TOTAL_BREAKDOWN
    )
    components["total_code"] = TOTAL_BREAKDOWN
    composite = components["component"].str.contains("=", regex=False).to_numpy()
    # Composite codes only (a few thousand programme cells): rebuild the code with one value set to all.
    components.loc[composite, "total_code"] = [
        COMPONENT_SEPARATOR.join([*parts[:position], total, *parts[position + 1 :]])
        for parts, position, total in zip(
            components.loc[composite, "breakdown_code"].str.split(COMPONENT_SEPARATOR),
            components.loc[composite, "position"],
            total_component[composite],
            strict=True,
        )
    ]
    parts_b = components[["cell", "position", "total_code"]].merge(indexed[["cell", *group_key]], on="cell")
    totals_b = indexed[[*group_key, "breakdown_code", "cell"]].rename(
        columns={"breakdown_code": "total_code", "cell": "total_cell"}
    )
    parts_b = parts_b.merge(totals_b, on=[*group_key, "total_code"])
    relation_key_b = [*group_key, "total_code", "position"]
    breakdown = pd.concat(
        [
            parts_b[[*relation_key_b, "cell"]].assign(is_total=False),
            parts_b[[*relation_key_b, "total_cell"]]
            .drop_duplicates()
            .rename(columns={"total_cell": "cell"})
            .assign(is_total=True),
        ],
        ignore_index=True,
    )
    breakdown["relation"] = breakdown.groupby(relation_key_b, dropna=False).ngroup() + len(hierarchy)
    members.append(breakdown.assign(kind=SECONDARY_BREAKDOWN)[["relation", "cell", "is_total", "kind"]])
    relations = pd.concat(members, ignore_index=True)
    relations["cell"] = relations["cell"].astype("int64")
    return relations


def _picks(relations: pd.DataFrame, counts: np.ndarray, suppressed: np.ndarray, suppress_below: int) -> pd.DataFrame:
    """For each relation that lets a suppressed cell be recomputed, the cell to suppress next."""
    members = relations.assign(count=counts[relations["cell"]], hidden=suppressed[relations["cell"]])
    children = members[~members["is_total"]]
    children = children.assign(hidden_count=children["count"].where(children["hidden"], 0))
    stats = children.groupby("relation").agg(hidden_children=("hidden", "sum"), hidden_sum=("hidden_count", "sum"))
    total_hidden = members[members["is_total"]].set_index("relation")["hidden"]
    stats["total_hidden"] = total_hidden.reindex(stats.index).fillna(False).astype(bool)
    open_total = ~stats["total_hidden"]
    violating = stats[
        (stats["total_hidden"] & (stats["hidden_children"] == 0))
        | (open_total & (stats["hidden_children"] >= 1) & (stats["hidden_sum"] < suppress_below))
        | (open_total & (stats["hidden_children"] == 1))
    ].index
    if violating.empty:
        return pd.DataFrame(columns=["cell", "kind"])
    candidates = members[members["relation"].isin(violating) & ~members["hidden"]]
    # The smallest published child first; the total only when no child is left to hide.
    candidates = candidates.sort_values(["relation", "is_total", "count", "cell"])
    return candidates.drop_duplicates("relation")[["cell", "kind"]]


def protect(
    cells: pd.DataFrame,
    parents: pd.DataFrame,
    parts_of_wholes: list[tuple[str, str]],
    *,
    suppress_below: int,
    secondary: bool = True,
    max_iterations: int = 100,
) -> pd.DataFrame:
    """Apply the rules to ``cells`` (``CELL_KEY`` + ``count``, counts of people only).

    ``parents`` comes from :func:`territory_parents`; ``parts_of_wholes`` lists (part count_name,
    whole count_name) pairs. Returns the cells with ``is_suppressed`` and ``suppression_rule``
    (one of :data:`RULES`, NULL when published).
    """
    conflicting = cells.groupby(CELL_KEY, dropna=False)["count"].nunique()
    if (conflicting > 1).any():
        raise ValueError(f"one count cell with two values: {conflicting[conflicting > 1].index[:3].tolist()}")
    # Cells in key order: the picks break ties between equal counts by cell position, and the
    # position must not depend on the order the rows arrived in. Otherwise two runs over the same
    # data could suppress different cells, and an attacker holding both would read the difference.
    cells = cells.drop_duplicates(CELL_KEY).sort_values(CELL_KEY, kind="stable", na_position="first")
    cells = cells.reset_index(drop=True)
    counts = cells["count"].to_numpy(dtype="int64")
    rule = np.where(counts < suppress_below, PRIMARY, None).astype(object)
    if secondary and len(cells):
        parts_frame = pd.DataFrame(parts_of_wholes, columns=["count_name", "whole_name"])
        indexed = cells.reset_index(names="cell")
        wholes = indexed.rename(columns={"count_name": "whole_name", "count": "whole", "cell": "whole_cell"})
        pairs = indexed.merge(parts_frame).merge(
            wholes[["territory_level", "territory_code", "period", "breakdown_code", "whole_name", "whole"]]
        )
        small_complement = pairs.loc[(pairs["whole"] - pairs["count"]) < suppress_below, "cell"].to_numpy()
        rule[small_complement] = np.where(rule[small_complement] == None, COMPLEMENT, rule[small_complement])  # noqa: E711
        relations = _relations(cells, parents)
        for _ in range(max_iterations):
            picks = _picks(relations, counts, rule != None, suppress_below)  # noqa: E711
            if picks.empty:
                break
            # A cell picked by both kinds of relation is recorded under the hierarchy rule.
            picks = picks.sort_values("kind", key=lambda kind: kind != SECONDARY_HIERARCHY).drop_duplicates("cell")
            rule[picks["cell"].to_numpy()] = picks["kind"].to_numpy()
        else:
            raise RuntimeError(f"secondary suppression found no fixed point in {max_iterations} iterations")
    return cells.assign(is_suppressed=rule != None, suppression_rule=rule)  # noqa: E711


def suppress_close_counts(
    counts: pd.Series, groups: pd.DataFrame, suppressed: pd.Series, *, suppress_below: int
) -> pd.Series:
    """Which published counts to suppress because another published count of their group is close.

    For counts of overlapping sets of people whose nesting a reader can deduce (the candidates
    within reach of two trainings at the same place, one teaching a subset of the other's skills),
    the difference of two published counts is itself a count of people. Within each group (the
    columns of ``groups``), whenever two distinct published counts differ by less than
    ``suppress_below``, the smaller is suppressed too. One pass suffices: once the smaller of every
    close pair is hidden, the published counts left in a group are ``suppress_below`` or more
    apart (a hidden count lay between any two that became neighbours). Equal counts differ by 0
    people and stay. Returns a boolean Series on ``counts``' index: suppressed by this rule.
    """
    frame = groups.assign(_count=counts.to_numpy(), _published=~suppressed.to_numpy())
    key = list(groups.columns)
    published = frame.loc[frame["_published"], [*key, "_count"]].drop_duplicates()
    published = published.sort_values([*key, "_count"])
    following = published.groupby(key, dropna=False)["_count"].shift(-1)
    close = published.loc[(following - published["_count"]) < suppress_below, [*key, "_count"]]
    flagged = frame[[*key, "_count"]].merge(close.assign(_close=True), on=[*key, "_count"], how="left")
    return pd.Series(
        flagged["_close"].fillna(False).astype(bool).to_numpy() & frame["_published"].to_numpy(), index=counts.index
    )


def suppression_counts(warehouse: Path) -> dict[str, int]:
    """Rows of outcome_indicators suppressed by each rule in the last build (0 for a rule unused)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        found = dict(
            connection.execute(
                f"select suppression_rule, count(*) from {PROTECTED_TABLE} "
                "where suppression_rule is not null group by suppression_rule"
            ).fetchall()
        )
    return {rule: int(found.get(rule, 0)) for rule in RULES}
