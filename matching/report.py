"""The indicators report: one self-contained HTML page of charts for the configured region.

It reads only the published copy (``published/passerelle.duckdb``): aggregates of the marts, never
a candidate-level row. Plotly writes its JavaScript into the page once, so the file opens from
disk with no network. Each chart says its source, its period and the secrecy rule it applies.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

REPORT_NAME = "report.html"

NO_PEOPLE = "Counts of postings and training actions, not of people: no secrecy rule applies."


def secrecy_note(connection: duckdb.DuckDBPyConnection) -> str:
    """The secrecy rule as the published tables applied it: the thresholds are read from
    marts.indicator_definitions, which takes them from the dbt vars (their one place), so that the
    text cannot say another figure than the one applied."""
    thresholds = connection.execute(
        "select distinct suppress_below, low_count_below from marts.indicator_definitions where counts_people"
    ).fetchall()
    if len(thresholds) != 1:
        raise ValueError(f"marts.indicator_definitions: expected one pair of secrecy thresholds, found {thresholds}")
    [(suppress_below, low_count_below)] = thresholds
    return (
        f"Statistical secrecy as published: a figure built on fewer than {suppress_below} people is withheld "
        f"(is_suppressed, shown as a gap), fewer than {low_count_below} is flagged low_count (hatched note in "
        "the hover)."
    )


@dataclass(frozen=True)
class Chart:
    """One chart of the report and what a reader needs to trust it."""

    chart_id: str
    title: str
    source: str
    period: str
    secrecy: str
    figure: go.Figure
    points: int


def _rows(connection: duckdb.DuckDBPyConnection, query: str, region: str) -> list[tuple]:
    return connection.execute(query, {"region": region} if "$region" in query else {}).fetchall()


def _layout(figure: go.Figure, height: int = 420) -> go.Figure:
    figure.update_layout(height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, template="plotly_white")
    return figure


def skill_demand_over_time(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    """Monthly postings of the region, and the postings asking for its five most asked skills."""
    totals = _rows(
        connection,
        """
        select distinct month, postings_total from marts.skill_demand
        where territory_level = 'region' and territory_code = $region order by month
        """,
        region,
    )
    top = _rows(
        connection,
        """
        with top_skills as (
            select skill_code from marts.skill_demand
            where territory_level = 'region' and territory_code = $region
            group by skill_code order by sum(postings_with_skill) desc, skill_code limit 5
        )
        select skills.label, demand.month, demand.postings_with_skill
        from marts.skill_demand as demand
        join top_skills using (skill_code) join marts.skills as skills using (skill_code)
        where demand.territory_level = 'region' and demand.territory_code = $region
        order by skills.label, demand.month
        """,
        region,
    )
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=[str(m) for m, _ in totals], y=[t for _, t in totals], name="all postings", mode="lines+markers")
    )
    for label in dict.fromkeys(row[0] for row in top):
        series = [row for row in top if row[0] == label]
        figure.add_trace(
            go.Scatter(
                x=[str(row[1]) for row in series], y=[row[2] for row in series], name=label[:50], mode="lines+markers"
            )
        )
    months = [str(m) for m, _ in totals]
    return Chart(
        "skill_demand_over_time",
        "Skill demand over time: postings per month, and those asking for the 5 most asked skills",
        "France Travail job offers (marts.skill_demand, region level; near duplicates excluded)",
        f"{months[0]} to {months[-1]}" if months else "no month",
        NO_PEOPLE,
        _layout(figure.update_layout(yaxis_title="postings")),
        len(totals) + len(top),
    )


def _heatmap(rows: list[tuple], colorbar: str) -> tuple[go.Figure, int]:
    """rows of (row label, column label, value) as a heatmap, row order kept."""
    row_labels = list(dict.fromkeys(row[0] for row in rows))
    column_labels = sorted({row[1] for row in rows})
    values = {(row[0], row[1]): row[2] for row in rows}
    z = [[values.get((r, c)) for c in column_labels] for r in row_labels]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=column_labels,
            y=[label[:45] for label in row_labels],
            colorscale="Blues",
            colorbar={"title": colorbar},
        )
    )
    figure.update_yaxes(autorange="reversed")
    return figure, len(rows)


def top_skills_by_departement(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _rows(
        connection,
        """
        with departements as (
            select territory_code, name from marts.territories
            where territory_level = 'departement' and region_code = $region
        ),
        by_departement as (
            select demand.skill_code, departements.territory_code || ' ' || departements.name as departement,
                   sum(demand.postings_with_skill) as asking,
                   sum(demand.postings_total) as postings
            from marts.skill_demand as demand join departements using (territory_code)
            where demand.territory_level = 'departement'
            group by all
        ),
        top_skills as (
            select skill_code from by_departement group by skill_code
            order by sum(asking) desc, skill_code limit 15
        )
        select skills.label, by_departement.departement, round(by_departement.asking / by_departement.postings, 3)
        from by_departement join top_skills using (skill_code) join marts.skills as skills using (skill_code)
        order by (select sum(asking) from by_departement as b where b.skill_code = by_departement.skill_code) desc,
                 skills.label, by_departement.departement
        """,
        region,
    )
    figure, points = _heatmap(rows, "share of postings")
    months = _rows(
        connection,
        "select min(month), max(month) from marts.skill_demand where territory_level = 'departement'",
        region,
    )[0]
    return Chart(
        "top_skills_by_departement",
        "Top 15 skills of the region: share of each département's postings asking for them",
        "France Travail job offers (marts.skill_demand, département level; month shares summed over months)",
        f"{months[0]} to {months[1]}",
        NO_PEOPLE,
        _layout(figure, 520),
        points,
    )


def top_occupations_by_bassin(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _rows(
        connection,
        """
        with bassins as (
            select territory_code, name from marts.territories
            where territory_level = 'bassin_bmo' and region_code = $region
        ),
        by_bassin as (
            select demand.rome_code, bassins.name as bassin, sum(demand.postings) as postings
            from marts.occupation_demand as demand join bassins using (territory_code)
            where demand.territory_level = 'bassin_bmo'
            group by all
        ),
        top_occupations as (
            select rome_code, sum(postings) as total from by_bassin group by rome_code
            order by total desc, rome_code limit 12
        )
        select occupations.label, by_bassin.bassin, by_bassin.postings
        from by_bassin join top_occupations using (rome_code) join marts.occupations as occupations using (rome_code)
        order by top_occupations.total desc, occupations.label, by_bassin.bassin
        """,
        region,
    )
    figure, points = _heatmap(rows, "postings")
    figure.update_xaxes(tickangle=-45)
    months = _rows(connection, "select min(month), max(month) from marts.occupation_demand", region)[0]
    return Chart(
        "top_occupations_by_bassin",
        "Top 12 occupations (ROME) of the region: postings per bassin d'emploi (BMO)",
        "France Travail job offers (marts.occupation_demand, bassin BMO level)",
        f"{months[0]} to {months[1]}",
        NO_PEOPLE,
        _layout(figure, 560),
        points,
    )


def hardest_to_fill(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _rows(
        connection,
        """
        select bmo_metier_label, sum(difficult_projects) / sum(projects) as rate, sum(projects) as projects, max(year)
        from marts.hiring_needs
        where region_code = $region and difficulty_rate is not null
          and year = (select max(year) from marts.hiring_needs)
        group by bmo_metier_label having sum(projects) >= 100
        order by rate desc, projects desc limit 15
        """,
        region,
    )
    figure = go.Figure(
        go.Bar(
            x=[row[1] for row in rows],
            y=[row[0][:55] for row in rows],
            orientation="h",
            customdata=[row[2] for row in rows],
            hovertemplate="%{y}: %{x:.0%} of %{customdata} projects<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(tickformat=".0%", title="share of hiring projects judged difficult")
    return Chart(
        "hardest_to_fill",
        "Hardest-to-fill BMO métiers in the region (at least 100 hiring projects)",
        "France Travail, enquête Besoins en Main-d'Œuvre (marts.hiring_needs)",
        f"survey year {rows[0][3]}" if rows else "no year",
        "Cells the publisher marks secret (*) stay NULL and are left out; only (bassin × métier) "
        "aggregates with every part published are used.",
        _layout(figure, 480),
        len(rows),
    )


def _indicator_by_territory(
    connection: duckdb.DuckDBPyConnection, region: str, indicator: str, level: str = "departement"
) -> list[tuple]:
    """(territory label, value, low_count, is_suppressed, period) of one indicator, 'all' breakdown."""
    return _rows(
        connection,
        f"""
        select territories.territory_code || ' ' || territories.name, indicators.value,
               indicators.low_count, indicators.is_suppressed, indicators.period
        from marts.outcome_indicators as indicators
        join marts.territories as territories
          on territories.territory_level = indicators.territory_level
         and territories.territory_code = indicators.territory_code
        where indicators.indicator_code = '{indicator}' and indicators.breakdown_code = 'all'
          and indicators.territory_level in ('{level}', 'region')
          and territories.region_code = $region
        order by indicators.territory_level = 'region' desc, territories.territory_code
        """,
        region,
    )


def _indicator_bar(rows: list[tuple], axis_title: str) -> go.Figure:
    published = [row for row in rows if not row[3]]
    figure = go.Figure(
        go.Bar(
            x=[row[0] for row in published],
            y=[row[1] for row in published],
            marker_pattern_shape=["/" if row[2] else "" for row in published],
            text=[f"{row[1]:.0%}" + (" (low count)" if row[2] else "") for row in published],
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    figure.update_yaxes(tickformat=".0%", title=axis_title)
    return figure


def skill_gap_index(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _indicator_by_territory(connection, region, "skill_gap_index")
    return Chart(
        "skill_gap_index",
        "Skill-gap index: share of the skills postings ask for that no training of the territory teaches",
        "France Travail offers and training catalogues (marts.outcome_indicators, skill_gap_index)",
        f"{rows[0][4]}" if rows else "no period",
        NO_PEOPLE,
        _layout(_indicator_bar(rows, "share of skill mentions not taught locally")),
        len([row for row in rows if not row[3]]),
    )


def employment_after_training(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _indicator_by_territory(connection, region, "employment_rate_6_months")
    suppressed = sum(1 for row in rows if row[3])
    return Chart(
        "employment_after_training",
        "Employment 6 months after vocational training, by département",
        "InserJeunes, DEPP / DARES (marts.outcome_indicators, employment_rate_6_months)",
        f"millésime {rows[0][4]}" if rows else "no period",
        secrecy_note(connection) + f" Withheld here: {suppressed} territories.",
        _layout(_indicator_bar(rows, "leavers in employment after 6 months")),
        len(rows) - suppressed,
    )


def matching_funnel(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    steps = [
        ("funnel_postings", "postings of the region"),
        ("funnel_postings_with_candidate", "with a candidate within reach"),
        ("funnel_postings_needing_training", "best candidate needs training"),
        ("funnel_postings_with_closing_training", "a nearby training closes part of the gap"),
    ]
    rows = _rows(
        connection,
        """
        select indicator_code, value, is_suppressed, low_count, period from marts.outcome_indicators
        where territory_level = 'region' and territory_code = $region and breakdown_code = 'all'
          and indicator_code like 'funnel_%'
        """,
        region,
    )
    by_code = {row[0]: row for row in rows}
    shown = [(label, by_code[code][1]) for code, label in steps if code in by_code and not by_code[code][2]]
    figure = go.Figure(
        go.Funnel(y=[label for label, _ in shown], x=[value for _, value in shown], textinfo="value+percent initial")
    )
    return Chart(
        "matching_funnel",
        "Matching funnel of the region's postings (aggregates only)",
        "passerelle matches (marts.outcome_indicators, funnel_* indicators)",
        rows[0][4] if rows else "no period",
        secrecy_note(connection) + " Counts of postings; no candidate-level row is read.",
        _layout(figure, 380),
        len(shown),
    )


def women_in_digital(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _rows(
        connection,
        """
        select indicators.breakdown_code, indicators.indicator_code, indicators.value, indicators.period
        from marts.outcome_indicators as indicators
        where indicators.indicator_code in ('women_share_employment_digital', 'women_share_jobseekers_digital')
          and not indicators.is_suppressed and indicators.territory_level = 'france'
        order by indicators.breakdown_code, indicators.indicator_code
        """,
        region,
    )
    figure = go.Figure()
    for code, name in (
        ("women_share_employment_digital", "share of women in employment"),
        ("women_share_jobseekers_digital", "share of women among jobseekers"),
    ):
        series = [row for row in rows if row[1] == code]
        figure.add_trace(go.Bar(x=[f"FAP {row[0]}" for row in series], y=[row[2] for row in series], name=name))
    figure.update_yaxes(tickformat=".0%")
    periods = sorted({str(row[3]) for row in rows})
    return Chart(
        "women_in_digital",
        "Share of women in digital occupations (FAP families of the digital ROME fiches), France",
        "DARES, Portraits statistiques des métiers (marts.outcome_indicators)",
        ", ".join(periods) if periods else "no period",
        secrecy_note(connection) + " Published by DARES for France only.",
        _layout(figure.update_layout(barmode="group")),
        len(rows),
    )


def programme_funnel(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    rows = _rows(
        connection,
        """
        select stage, count, is_suppressed, programme_code, is_synthetic,
               region_employment_rate_6_months, employment_benchmark
        from marts.programme_funnel
        where territory_level = 'region' and territory_code = $region and sex = 'all' and training_id = 'all'
          and stage not like 'followed%'
        order by programme_code, stage_order
        """,
        region,
    )
    shown = [(row[0].replace("_", " "), row[1]) for row in rows if not row[2]]
    figure = go.Figure(
        go.Funnel(y=[label for label, _ in shown], x=[value for _, value in shown], textinfo="value+percent previous")
    )
    synthetic = any(row[4] for row in rows)
    rate = next((row[5] for row in rows if row[5] is not None), None)
    benchmark = rows[0][6] if rows else None
    return Chart(
        "programme_funnel",
        "Programme funnel: applications to back in work at 6 and 12 months"
        + (" (SYNTHETIC cohort, not real people)" if synthetic else ""),
        "passerelle programme follow-up (marts.programme_funnel)",
        ", ".join(sorted({row[3] for row in rows})) or "no programme",
        secrecy_note(connection)
        + (f" Region's employment rate after training (InserJeunes): {rate:.0%}." if rate is not None else "")
        + (f" Benchmark: {benchmark:.0%}." if benchmark is not None else ""),
        _layout(figure, 380),
        len(shown),
    )


def funding_plan(connection: duckdb.DuckDBPyConnection, region: str) -> Chart:
    """The five trainings ranked first in each of the region's four bassins with the most BMO
    projects (Strasbourg, Reims, Metz and Nancy in Grand Est), with what their rank rests on."""
    rows = _rows(
        connection,
        """
        with bassins as (
            select bassin_bmo_code as territory_code, sum(projects) as projects
            from marts.hiring_needs
            where region_code = $region and year = (select max(year) from marts.hiring_needs)
            group by bassin_bmo_code
            order by projects desc nulls last, territory_code
            limit 4
        )
        select plan.territory_name, plan.rank, plan.training_title, plan.rome_label,
               plan.demand_over_horizon, plan.demand_basis, plan.bmo_difficult_projects,
               case when plan.is_suppressed then 'withheld' else plan.candidates_in_reach::varchar end,
               plan.skills_closed_count, plan.seats_to_fund, round(plan.expected_placements, 1)
        from marts.training_funding_plan as plan join bassins using (territory_code)
        where plan.territory_level = 'bassin_bmo' and plan.rank <= 5
        order by bassins.projects desc, plan.rank
        """,
        region,
    )
    columns = [
        "bassin",
        "rank",
        "training",
        "target occupation",
        "demand over the horizon",
        "demand from",
        "difficult BMO projects",
        "candidates within reach",
        "skills closed",
        "seats to fund",
        "expected placements",
    ]
    values = [["" if value is None else value for value in column] for column in zip(*rows, strict=True)]
    figure = go.Figure(
        go.Table(
            columnwidth=[1.1, 0.5, 3.0, 2.2, 0.9, 1.7, 0.9, 1.0, 0.8, 0.8, 1.0],
            header={"values": columns},
            cells={"values": values, "align": "left"},
        )
    )
    synthetic = connection.execute("select bool_or(is_synthetic) from marts.training_funding_plan").fetchone()[0]
    return Chart(
        "funding_plan",
        "Trainings to fund first: the five ranked first in the four bassins (BMO) with the most hiring projects"
        + (" (candidates SYNTHETIC)" if synthetic else ""),
        "passerelle funding plan (marts.training_funding_plan): BMO, France Travail offers, candidates, InserJeunes",
        "latest BMO survey; postings of the last 90 days",
        secrecy_note(connection),
        _layout(figure, 1100),
        len(rows),
    )


CHARTS: list[Callable[[duckdb.DuckDBPyConnection, str], Chart]] = [
    skill_demand_over_time,
    top_skills_by_departement,
    top_occupations_by_bassin,
    hardest_to_fill,
    skill_gap_index,
    matching_funnel,
    employment_after_training,
    women_in_digital,
    funding_plan,
    programme_funnel,
]


def build_charts(published_database: Path, region: str) -> list[Chart]:
    with duckdb.connect(str(published_database), read_only=True) as connection:
        return [make(connection, region) for make in CHARTS]


def render(charts: list[Chart], region: str, region_name: str) -> str:
    sections = []
    for chart in charts:
        body = chart.figure.to_html(
            full_html=False, include_plotlyjs=False, div_id=chart.chart_id, config={"displaylogo": False}
        )
        sections.append(
            f'<section class="chart" data-points="{chart.points}">\n<h2>{html.escape(chart.title)}</h2>\n{body}\n'
            f'<p class="note"><b>Source:</b> {html.escape(chart.source)}. <b>Period:</b> {html.escape(chart.period)}. '
            f"<b>Secrecy:</b> {html.escape(chart.secrecy)}</p>\n</section>"
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>passerelle: {html.escape(region_name)}</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
        ".note{color:#444;font-size:0.9em}section{margin-bottom:2.5em}</style>"
        f"<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>Skills, hiring and training: {html.escape(region_name)} (region {html.escape(region)})</h1>"
        "<p>Built from the published tables of passerelle (aggregates only).</p>\n"
        + "\n".join(sections)
        + "\n</body></html>\n"
    )


def write_report(published_dir: Path, region: str) -> tuple[Path, list[Chart]]:
    """Write ``published_dir/report.html`` from ``published_dir/passerelle.duckdb``, atomically."""
    database = published_dir / "passerelle.duckdb"
    if not database.exists():
        raise FileNotFoundError(f"{database}: nothing published yet; the report reads the published copy")
    charts = build_charts(database, region)
    with duckdb.connect(str(database), read_only=True) as connection:
        found = connection.execute(
            "select name from marts.territories where territory_level = 'region' and territory_code = ?", [region]
        ).fetchone()
    page = render(charts, region, found[0] if found else region)
    target = published_dir / REPORT_NAME
    scratch = published_dir / f".{REPORT_NAME}.{os.getpid()}"
    scratch.write_text(page, encoding="utf-8")
    scratch.replace(target)
    return target, charts
