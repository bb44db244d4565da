"""The funding plan and the programme funnel on the shared build: real figures for Metz and Nancy,
every figure traced back to a published input, secrecy held against an attacker who holds every
published table, and the SYNTHETIC cohort announced in the run's logs and metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.e2e

SUPPRESS_BELOW = 5


@pytest.fixture(scope="module")
def published(built_pipeline: tuple[Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def plan(published: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return published.execute("select * from marts.training_funding_plan").df()


def _bassin(plan: pd.DataFrame, prefix: str) -> pd.DataFrame:
    rows = plan[(plan["territory_level"] == "bassin_bmo") & plan["territory_name"].str.lower().str.startswith(prefix)]
    return rows.sort_values("rank").reset_index(drop=True)


# The first training to fund in each bassin on the bundled data (BMO 2024, InserJeunes, the
# SYNTHETIC candidates of seed 20261129): training title, target occupation, difficult projects
# of its métier in the bassin, demand over 6 months, candidates within 30 km, seats, placements.
FIRST_TO_FUND = {
    "metz": ("Jardinier paysagiste", "A1202", 87, 44, 45, 44, 26.8),
    "nancy": ("TP - TP Conducteur livreur", "N4105", 96, 48, 26, 26, 20.5),
}


@pytest.mark.parametrize("prefix", ["metz", "nancy"])
def test_metz_and_nancy_first_trainings_to_fund(plan: pd.DataFrame, prefix: str) -> None:
    top = _bassin(plan, prefix).iloc[0]
    title, rome, difficult, demand, candidates, seats, placements = FIRST_TO_FUND[prefix]
    assert top["training_title"].startswith(title) and top["rome_code"] == rome
    assert (top["bmo_difficult_projects"], top["demand_over_horizon"]) == (difficult, demand)
    assert (top["candidates_in_reach"], top["seats_to_fund"]) == (candidates, seats)
    assert top["expected_placements"] == pytest.approx(placements)
    assert top["is_synthetic"] and "SYNTHETIC" in top["source"]


@pytest.mark.parametrize("prefix", ["metz", "nancy"])
def test_metz_and_nancy_have_a_ranked_plan_whose_figures_come_from_the_published_inputs(
    published: duckdb.DuckDBPyConnection, plan: pd.DataFrame, prefix: str
) -> None:
    rows = _bassin(plan, prefix)
    assert len(rows) >= 10, f"{prefix}: {len(rows)} rows"
    assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
    top = rows.iloc[0]
    assert not top["is_suppressed"] and top["candidates_in_reach"] >= SUPPRESS_BELOW
    assert top["skills_closed_count"] >= 1 and top["expected_placements"] > 0
    # Ranked as documented: published counts first, then expected placements descending.
    shown = rows[~rows["is_suppressed"]]
    assert shown["expected_placements"].is_monotonic_decreasing
    assert rows["is_suppressed"].is_monotonic_increasing
    # Seats never exceed the people who could take them, nor the demand they serve.
    assert (shown["seats_to_fund"] <= shown["candidates_in_reach"]).all()
    assert (shown["seats_to_fund"] <= shown["demand_over_horizon"]).all()
    # Traceability: the BMO figures are hiring_needs' for the training's bassin and métiers ...
    bmo_rows = rows[rows["bmo_metier_codes"].notna() & rows["bmo_projects"].notna()].head(5)
    assert len(bmo_rows) > 0
    for row in bmo_rows.itertuples():
        projects, difficult = published.execute(
            "select sum(projects), sum(difficult_projects) from marts.hiring_needs "
            "where bassin_bmo_code = ? and year = ? and list_contains(string_split(?, ','), bmo_metier_code)",
            [row.territory_code, int(row.bmo_year), row.bmo_metier_codes],
        ).fetchone()
        assert (row.bmo_projects, row.bmo_difficult_projects) == (projects, difficult)
    # ... the recent postings a recount of job_postings over the 90-day window ...
    recount = published.execute(
        """
        with postings as (
            select cast(created_at as date) as created_on, coalesce(rome_code, inferred_rome_code) as rome_code,
                   bassin_bmo_code
            from marts.job_postings where duplicate_of is null and is_in_region
        )
        select count(*) from postings
        where bassin_bmo_code = ? and rome_code = ?
          and created_on > (select max(created_on) from postings) - interval 90 day
        """,
        [top["territory_code"], top["rome_code"]],
    ).fetchone()[0]
    assert top["postings_recent"] == recount
    # ... and the placements the documented formula.
    assert top["expected_placements"] == pytest.approx(round(top["seats_to_fund"] * top["placement_rate"], 1))


def test_a_training_is_proposed_only_where_it_closes_a_gap_and_meets_the_minimum_demand(plan: pd.DataFrame) -> None:
    assert (plan["skills_closed_count"] >= 1).all()
    assert (plan["demand_over_horizon"] >= 5).all()
    assert set(plan["territory_level"]) == {"bassin_bmo", "zone_emploi"}


def test_no_count_under_5_people_is_published_and_no_difference_gives_one_back(
    published: duckdb.DuckDBPyConnection, plan: pd.DataFrame
) -> None:
    counts = plan["candidates_in_reach"].dropna()
    assert len(counts) > 0 and (counts >= SUPPRESS_BELOW).all()
    assert (
        plan.loc[plan["is_suppressed"], ["candidates_in_reach", "seats_to_fund", "expected_placements"]]
        .isna()
        .all()
        .all()
    )
    # The same (training, occupation) prints one count whatever the territory row.
    per_pair = plan.groupby(["training_id", "rome_code"])["candidates_in_reach"].nunique(dropna=False)
    assert (per_pair == 1).all()
    # Trainings of one place and occupation reach the same people: no two published counts there
    # differ by 1 to 4 people (the difference of nested sets would count them).
    distinct = plan.dropna(subset=["candidates_in_reach"]).drop_duplicates(
        ["training_commune_code", "rome_code", "candidates_in_reach"]
    )
    gaps = (
        distinct.sort_values("candidates_in_reach")
        .groupby(["training_commune_code", "rome_code"])["candidates_in_reach"]
        .diff()
    )
    assert not gaps.between(1, SUPPRESS_BELOW - 1).any()
    funnel = published.execute("select count, of_count, is_suppressed from marts.programme_funnel").df()
    assert len(funnel) > 0
    for column in ("count", "of_count"):
        shown = funnel[column].dropna()
        assert (shown >= SUPPRESS_BELOW).all(), column
    assert funnel.loc[funnel["is_suppressed"], "count"].isna().all()


def test_no_programme_margin_gives_back_a_suppressed_count(published: duckdb.DuckDBPyConnection) -> None:
    """The attacker's differencing along each breakdown (sex, training) against its total: a
    relation with exactly one hidden cell (a part, or the total) would give it back."""
    cells = published.execute(
        "select territory_level, territory_code, stage, sex, training_id, count from marts.programme_funnel"
    ).df()
    relation = ["territory_level", "territory_code", "stage"]
    solvable = 0
    relations = 0
    for dimension, other in (("sex", "training_id"), ("training_id", "sex")):
        margin = cells[cells[other] == "all"]
        members = margin.assign(is_hidden=margin["count"].isna())
        parts = members[members[dimension] != "all"].groupby(relation)["is_hidden"].agg(["sum", "size"])
        totals = members[members[dimension] == "all"].set_index(relation)["is_hidden"]
        joined = parts.join(totals.rename("total_hidden"), how="inner")
        relations += len(joined)
        solvable += int(((joined["sum"] + joined["total_hidden"]) == 1).sum())
    assert relations > 100
    assert solvable == 0


def test_the_programme_funnel_counts_the_whole_cohort_beside_the_region_rate(
    built_pipeline: tuple[Path, str], published: duckdb.DuckDBPyConnection
) -> None:
    data_dir, _ = built_pipeline
    landed = pq.read_table(data_dir / "raw" / "programme" / "participants" / "current" / "part-0.parquet").to_pandas()
    region = published.execute(
        """
        select stage, count, of_count, share, region_employment_rate_6_months, employment_benchmark, is_synthetic
        from marts.programme_funnel
        where territory_level = 'region' and territory_code = '44' and sex = 'all' and training_id = 'all'
        order by stage_order
        """
    ).df()
    assert region["stage"].tolist() == [
        "applications",
        "trainees",
        "completed",
        "followed_6_months",
        "in_work_6_months",
        "followed_12_months",
        "in_work_12_months",
    ]
    assert region.loc[0, "count"] == len(landed) == 1000
    assert region.loc[1, "count"] == int(landed["is_selected"].sum())
    assert region["is_synthetic"].all() and landed["is_synthetic"].all()
    assert region["employment_benchmark"].eq(0.6).all()
    inserjeunes = published.execute(
        "select value from marts.outcome_indicators where indicator_code = 'employment_rate_6_months' "
        "and territory_level = 'region' and territory_code = '44' order by period desc limit 1"
    ).fetchone()[0]
    assert region["region_employment_rate_6_months"].eq(inserjeunes).all()


def test_the_synthetic_cohort_is_announced_in_logs_and_metadata(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        events = [event for run in instance.get_runs() for event in instance.all_logs(run.run_id)]
        messages = [event.user_message or "" for event in events]
        materializations = [
            event.dagster_event.step_materialization_data.materialization
            for event in events
            if event.dagster_event is not None and event.dagster_event.is_step_materialization
        ]
    assert any("SYNTHETIC cohort" in message and "programme" in message for message in messages)
    cohort = [item for item in materializations if item.asset_key == dg.AssetKey(["programme", "participants"])]
    assert len(cohort) == 1
    assert cohort[0].metadata["is_synthetic"].value is True
    assert "SYNTHETIC" in cohort[0].metadata["input"].value
    assert cohort[0].metadata["dagster/row_count"].value == 1000
    assert (data_dir / "synthetic" / "programme_participants_SYNTHETIC.csv").exists()
