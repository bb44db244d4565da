"""The attacker's toolbox, run by tests/e2e/test_disclosure.py on built outputs.

Written from what an analyst can read (the published database and the README), independently of
matching.secrecy: relations are rebuilt from the published territories, counts from the published
indicator definitions. Each attack returns what it recovered, so a test can compare it with the
truth the warehouse keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

CELL = ["territory_level", "territory_code", "period", "breakdown_code", "count_name"]
LEVELS = ["commune", "bassin_bmo", "zone_emploi", "departement", "region", "france"]
# The pseudonym format the README documents: what an attacker would look for.
PSEUDONYM = re.compile(r"^cand_[0-9a-f]{20}$")


@dataclass(frozen=True)
class Recovery:
    """Cells an attack recovered exactly, with how many it tried."""

    attempted: int
    recovered: pd.DataFrame  # CELL + count (the recovered value) + attack


def people_cells(rows: pd.DataFrame, definitions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts of people (CELL + count) printed in at least one row, and those printed in none (CELL).

    One count can appear in several rows (a stage's numerator is the next stage's denominator):
    printed once, it is known.
    """
    frames = []
    for side in ("numerator", "denominator"):
        people = definitions[definitions[f"{side}_unit"] == "people"][["indicator_code", f"{side}_count"]]
        cells = rows.merge(people, on="indicator_code")
        frames.append(
            cells[
                [
                    "territory_level",
                    "territory_code",
                    "period",
                    "breakdown_code",
                    f"{side}_count",
                    side,
                    "is_suppressed",
                ]
            ].rename(columns={f"{side}_count": "count_name", side: "count"})
        )
    cells = pd.concat(frames, ignore_index=True)
    published = cells[~cells["is_suppressed"]].drop_duplicates(CELL)[[*CELL, "count"]]
    hidden = cells[cells["is_suppressed"]].drop_duplicates(CELL)[CELL]
    hidden = hidden.merge(published[CELL], how="left", indicator=True)
    return published, hidden[hidden["_merge"] == "left_only"][CELL]


def relations(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """parent_level, parent_code, child_level, child_code for every nesting the published
    territories show (a child all of whose communes lie in one parent)."""
    communes = connection.execute(
        "select territory_code as commune_code, bassin_bmo_code, zone_emploi_code, departement_code, region_code, "
        "'FR' as france_code from marts.territories where territory_level = 'commune'"
    ).df()
    pairs = []
    for i, child in enumerate(LEVELS):
        for parent in LEVELS[i + 1 :]:
            links = communes[[f"{child}_code", f"{parent}_code"]].dropna().drop_duplicates()
            single = links.groupby(f"{child}_code")[f"{parent}_code"].nunique()
            links = links[links[f"{child}_code"].isin(single[single == 1].index)]
            pairs.append(
                pd.DataFrame(
                    {
                        "parent_level": parent,
                        "parent_code": links[f"{parent}_code"].to_numpy(),
                        "child_level": child,
                        "child_code": links[f"{child}_code"].to_numpy(),
                    }
                )
            )
    return pd.concat(pairs, ignore_index=True)


def differencing(published: pd.DataFrame, hidden: pd.DataFrame, nesting: pd.DataFrame) -> Recovery:
    """Parent minus published children, children summed into a hidden parent, 'all' minus
    published breakdowns; repeated with what each round recovers until nothing new comes."""
    known = published.assign(attack="published")
    unknown = hidden[CELL].copy()
    attempted = 0
    recovered_all = []
    for _ in range(20):
        groups = []
        # hierarchy: one group per (parent cell, child level)
        every = pd.concat([known[CELL].assign(is_known=True), unknown.assign(is_known=False)], ignore_index=True)
        every = every.merge(known[[*CELL, "count"]], how="left", on=CELL)
        children = every.merge(
            nesting, left_on=["territory_level", "territory_code"], right_on=["child_level", "child_code"]
        )
        children["group"] = "h" + children.groupby(
            ["parent_level", "parent_code", "child_level", "period", "breakdown_code", "count_name"]
        ).ngroup().astype(str)
        parents = children[
            ["group", "parent_level", "parent_code", "period", "breakdown_code", "count_name"]
        ].drop_duplicates()
        parents = parents.rename(columns={"parent_level": "territory_level", "parent_code": "territory_code"}).merge(
            every, on=CELL
        )
        groups.append((children.assign(is_total=False), parents.assign(is_total=True), "parent minus children"))
        parts = every[every["breakdown_code"] != "all"].copy()
        totals = every[every["breakdown_code"] == "all"].copy()
        whole = ["territory_level", "territory_code", "period", "count_name"]
        totals["group"] = "b" + totals.groupby(whole).ngroup().astype(str)
        parts = parts.merge(totals[[*whole, "group"]], on=whole)
        groups.append(
            (
                parts.assign(is_total=False),
                totals[totals["group"].isin(parts["group"])].assign(is_total=True),
                "total minus breakdowns",
            )
        )
        found = []
        for child_rows, total_rows, attack in groups:
            members = pd.concat(
                [
                    child_rows[[*CELL, "group", "is_known", "count", "is_total"]],
                    total_rows[[*CELL, "group", "is_known", "count", "is_total"]],
                ],
                ignore_index=True,
            )
            members = members[members["group"].isin(total_rows["group"])]
            unknown_per_group = (~members["is_known"].astype(bool)).groupby(members["group"]).sum()
            solvable = unknown_per_group[unknown_per_group == 1].index
            attempted += int((unknown_per_group >= 1).sum())
            solvable_members = members[members["group"].isin(solvable)]
            signed = solvable_members.assign(
                signed=solvable_members["count"].where(~solvable_members["is_total"], -solvable_members["count"])
            )
            sums = signed.groupby("group")["signed"].sum()
            target = solvable_members[~solvable_members["is_known"]].copy()
            # the unknown is the total (sum of children) or a child (total minus the others)
            group_sum = target["group"].map(sums).astype("float64")
            target["count"] = group_sum.where(target["is_total"], -group_sum)
            found.append(target[[*CELL, "count"]].assign(attack=attack))
        new = pd.concat(found, ignore_index=True).drop_duplicates(CELL)
        if new.empty:
            break
        recovered_all.append(new)
        known = pd.concat([known, new], ignore_index=True)
        unknown = unknown.merge(new[CELL], how="left", indicator=True)
        unknown = unknown[unknown["_merge"] == "left_only"][CELL]
    recovered = (
        pd.concat(recovered_all, ignore_index=True)
        if recovered_all
        else pd.DataFrame(columns=[*CELL, "count", "attack"])
    )
    return Recovery(attempted=attempted, recovered=recovered)


def small_complements(rows: pd.DataFrame, definitions: pd.DataFrame, below: int) -> pd.DataFrame:
    """Published rows of a part of a whole of people where whole minus part is below ``below``."""
    shares = definitions[
        (definitions["numerator_unit"] == "people")
        & (definitions["denominator_unit"] == "people")
        & definitions["is_part_of_whole"]
    ]["indicator_code"]
    published = rows[rows["indicator_code"].isin(shares) & ~rows["is_suppressed"]]
    return published[(published["denominator"] - published["numerator"]) < below]


def pseudonym_columns(connection: duckdb.DuckDBPyConnection, schema: str) -> list[tuple[str, str]]:
    """Every (table, text column) of ``schema`` holding a value shaped like a candidate pseudonym."""
    found = []
    for table, column in connection.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = ? and data_type = 'VARCHAR'",
        [schema],
    ).fetchall():
        hits = connection.execute(
            f'select count(*) from {schema}."{table}" where regexp_matches("{column}", \'^cand_[0-9a-f]{{20}}$\')'
        ).fetchone()
        if hits and hits[0]:
            found.append((table, column))
    return found


def triangulate(
    connection: duckdb.DuckDBPyConnection, distances_sql: str, positions_sql: str, postings_sql: str
) -> pd.DataFrame:
    """The commune of each person from their distances to postings of known position.

    ``distances_sql`` yields person_id, posting_id, distance_km; ``positions_sql`` the public
    town-hall points (commune_code, latitude, longitude); ``postings_sql`` posting_id, latitude,
    longitude. A commune is the answer when its town hall lies at every published distance
    (to 5 m, the rounding of the distances) from the person's postings. Returns person_id,
    commune_code for people with exactly one such commune.
    """
    return connection.execute(
        f"""
        with distances as ({distances_sql}),
        positions as ({positions_sql}),
        postings as ({postings_sql}),
        located as (
            select distances.person_id, distances.distance_km, postings.latitude, postings.longitude
            from distances join postings using (posting_id)
            where postings.latitude is not null
        ),
        nearest as (
            select * from located qualify row_number() over (partition by person_id order by distance_km) = 1
        ),
        candidates as (
            -- communes at the nearest posting's distance (bounding box first, then the exact distance)
            select nearest.person_id, positions.commune_code, positions.latitude, positions.longitude
            from nearest join positions
              on positions.latitude between nearest.latitude - nearest.distance_km / 110.0 - 0.01
                                        and nearest.latitude + nearest.distance_km / 110.0 + 0.01
             and positions.longitude between nearest.longitude - nearest.distance_km / 70.0 - 0.01
                                         and nearest.longitude + nearest.distance_km / 70.0 + 0.01
        ),
        checked as (
            select candidates.person_id, candidates.commune_code,
                   max(abs(2 * 6371.0088 * asin(sqrt(
                       pow(sin(radians(located.latitude - candidates.latitude) / 2), 2)
                       + cos(radians(candidates.latitude)) * cos(radians(located.latitude))
                         * pow(sin(radians(located.longitude - candidates.longitude) / 2), 2)))
                       - located.distance_km)) as worst_error
            from candidates join located using (person_id)
            group by candidates.person_id, candidates.commune_code
        )
        select person_id, any_value(commune_code) as commune_code
        from checked where worst_error <= 0.005
        group by person_id having count(*) = 1
        """
    ).df()
