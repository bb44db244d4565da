"""published/report.html renders in a real browser, from disk, with no network, every chart drawn."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import DBT_PROJECT_DIR, SCREENSHOT_DIR

pytestmark = pytest.mark.e2e

CHART_IDS = [
    "skill_demand_over_time",
    "top_skills_by_departement",
    "top_occupations_by_bassin",
    "hardest_to_fill",
    "skill_gap_index",
    "matching_funnel",
    "employment_after_training",
    "women_in_digital",
    "funding_plan",
    "programme_funnel",
]

# For every plotly chart: the number of data points its traces hold, and the SVG/raster marks drawn.
_CHART_STATE = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(chart => ({
    id: chart.id,
    points: chart.data.reduce((sum, trace) => sum + (trace.z ? trace.z.flat().filter(v => v !== null).length
                                                   : trace.cells ? (trace.cells.values[0] || []).length
                                                   : (trace.x || []).length), 0),
    marks: chart.querySelectorAll('.scatterlayer path, .heatmaplayer image, .funnellayer path, .barlayer path, '
                                  + '.table .cell-text').length,
    firstX: chart.data[0].x ? Array.from(chart.data[0].x) : null,
}))
"""


@pytest.fixture(scope="module")
def rendered(built_pipeline: tuple[Path, str], browser) -> tuple[list[dict], list[str], list[str], Path]:  # type: ignore[no-untyped-def]
    data_dir, _ = built_pipeline
    report = data_dir / "published" / "report.html"
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    network: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def refuse_network(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            network.append(route.request.url)
            route.abort()

    page.route("**/*", refuse_network)
    page.goto(report.as_uri())
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 8", timeout=60_000)
    charts = page.evaluate(_CHART_STATE)
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    screenshot = SCREENSHOT_DIR / "report.png"
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return charts, errors, network, screenshot


class _ScriptTags(HTMLParser):
    """The <script> elements of a page and their src attributes (script bodies are not tags)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.count += 1
            self.sources += [value or "" for name, value in attrs if name == "src"]


def test_report_is_one_file_with_its_scripts_inside(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    text = (data_dir / "published" / "report.html").read_text(encoding="utf-8")
    # No script is fetched: every <script> element of the page is inline (plotly.js carries CDN
    # addresses as option defaults in its code, which the page never loads: see the test below,
    # which renders it with the network blocked).
    scripts = _ScriptTags()
    scripts.feed(text)
    assert scripts.count >= 2 and scripts.sources == []
    assert len(text) > 3_000_000  # plotly.js itself is inlined (about 4.6 MB)
    # each chart's caption (plotly.js has "Source:" in its own code too, hence the markup)
    for label in ("Source:</b>", "Period:</b>", "Secrecy:</b>"):
        assert text.count(label) == len(CHART_IDS), label


def test_secrecy_captions_quote_the_thresholds_the_build_applied(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    text = (data_dir / "published" / "report.html").read_text(encoding="utf-8")
    variables = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    caption = (
        f"a figure built on fewer than {variables['suppress_below']} people is withheld (is_suppressed, shown as a "
        f"gap), fewer than {variables['low_count_below']} is flagged low_count"
    )
    # the five charts of counts of people: employment after training, the matching funnel, women in
    # digital, the funding plan (candidates within reach), the programme funnel
    assert text.count(caption) == 5


def test_every_chart_draws_with_data_and_no_error(rendered: tuple[list[dict], list[str], list[str], Path]) -> None:
    charts, errors, network, screenshot = rendered
    assert [chart["id"] for chart in charts] == CHART_IDS
    empty = [chart["id"] for chart in charts if chart["points"] == 0 or chart["marks"] == 0]
    assert not empty, charts
    assert errors == []
    assert network == []
    assert screenshot.stat().st_size > 50_000


def test_report_figures_are_the_published_ones(
    built_pipeline: tuple[Path, str], rendered: tuple[list[dict], list[str], list[str], Path]
) -> None:
    """The funnel starts at the region's counted postings; the métiers chart holds the BMO rates."""
    data_dir, _ = built_pipeline
    charts = {chart["id"]: chart for chart in rendered[0]}
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        postings = connection.execute(
            "select count(*) from marts.job_postings where region_code = '44' and duplicate_of is null"
        ).fetchone()[0]  # type: ignore[index]
        funnel_total = connection.execute(
            "select value from marts.outcome_indicators where indicator_code = 'funnel_postings' "
            "and territory_level = 'region' and territory_code = '44' and breakdown_code = 'all'"
        ).fetchone()[0]  # type: ignore[index]
    assert funnel_total == postings > 100
    # the funnel's first bar is that count: the page shows the published value
    assert charts["matching_funnel"]["firstX"][0] == postings
    # the programme funnel starts at the cohort's applications (1,000 in the SYNTHETIC cohort)
    assert charts["programme_funnel"]["firstX"][0] == 1000
    # hardest-to-fill, BMO 2024 in Grand Est: 15 métiers, from one with every project judged
    # difficult down to about 0.89
    rates = charts["hardest_to_fill"]["firstX"]
    assert len(rates) == 15 and rates == sorted(rates, reverse=True)
    assert rates[0] == 1.0 and all(rate > 0.85 for rate in rates)
