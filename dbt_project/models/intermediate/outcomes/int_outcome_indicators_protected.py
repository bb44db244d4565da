"""Statistical secrecy of outcome indicators: which rows are suppressed, and by which rule.

One row per row of int_outcome_indicators_unioned, with ``is_suppressed``, ``suppression_rule``
(primary, complement, secondary_hierarchy, secondary_breakdown; NULL when published) and
``smallest_people_count``. Only counts of people are protected (indicator_definitions says which
counts are people); the rules and their reasons are in matching/secrecy.py. Thresholds and the
switch come from the dbt vars suppress_below and secondary_suppression (dbt_project.yml).
"""

import pandas as pd

from matching.secrecy import CELL_KEY, protect, territory_parents

ROW_KEY = ["territory_level", "territory_code", "period", "indicator_code", "breakdown_code"]
# When one row holds two suppressed cells, the rule shown is the first of these.
RULE_ORDER = ["primary", "complement", "secondary_hierarchy", "secondary_breakdown"]


def _as_bool(value: object) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


def model(dbt, session) -> pd.DataFrame:  # noqa: ANN001 (dbt's own objects)
    dbt.config(materialized="table")
    suppress_below = int(dbt.config.get("suppress_below"))
    secondary = _as_bool(dbt.config.get("secondary_suppression"))
    rows = dbt.ref("int_outcome_indicators_unioned").df()
    definitions = dbt.ref("indicator_definitions_seed").df()
    communes = dbt.ref("territories").filter("territory_level = 'commune'").df()
    communes = communes.rename(columns={"territory_code": "commune_code"})

    sides = []
    for side in ("numerator", "denominator"):
        people = definitions.loc[definitions[f"{side}_unit"] == "people", ["indicator_code", f"{side}_count"]]
        cells = rows.merge(people, on="indicator_code").dropna(subset=[side])
        sides.append(
            cells[[*ROW_KEY, f"{side}_count", side]].rename(columns={f"{side}_count": "count_name", side: "count"})
        )
    row_cells = pd.concat(sides, ignore_index=True).drop_duplicates([*ROW_KEY, "count_name"])
    row_cells["count"] = row_cells["count"].astype("int64")
    wholes = definitions[
        (definitions["numerator_unit"] == "people")
        & (definitions["denominator_unit"] == "people")
        & definitions["is_part_of_whole"].map(_as_bool)
    ]
    parts_of_wholes = list(
        wholes[["numerator_count", "denominator_count"]].drop_duplicates().itertuples(index=False, name=None)
    )
    protected = protect(
        row_cells[[*CELL_KEY, "count"]],
        territory_parents(communes),
        parts_of_wholes,
        suppress_below=suppress_below,
        secondary=secondary,
    )
    row_cells = row_cells.merge(protected[[*CELL_KEY, "suppression_rule"]], on=CELL_KEY, how="left")
    row_cells["rule_rank"] = row_cells["suppression_rule"].map({rule: i for i, rule in enumerate(RULE_ORDER)})
    per_row = (
        row_cells.groupby(ROW_KEY, dropna=False)
        .agg(rule_rank=("rule_rank", "min"), smallest_people_count=("count", "min"))
        .reset_index()
    )
    per_row["suppression_rule"] = per_row["rule_rank"].map(dict(enumerate(RULE_ORDER)))
    result = rows.merge(per_row.drop(columns="rule_rank"), on=ROW_KEY, how="left")
    result["is_suppressed"] = result["suppression_rule"].notna()
    result["smallest_people_count"] = result["smallest_people_count"].astype("Int64")
    result["suppression_rule"] = result["suppression_rule"].astype("string")
    return result
