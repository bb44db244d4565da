"""The final assets on the bundled snapshot: match tables, outcome indicators, published copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(built_pipeline: tuple[Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    data_dir, _ = built_pipeline
    connection = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def instance(built_pipeline: tuple[Path, str]) -> Iterator[dg.DagsterInstance]:
    data_dir, _ = built_pipeline
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as dagster_instance:
        yield dagster_instance


def _metadata(instance: dg.DagsterInstance, *key: str) -> dict[str, object]:
    event = instance.get_latest_materialization_event(dg.AssetKey(list(key)))
    assert event is not None and event.asset_materialization is not None, key
    return {name: value.value for name, value in event.asset_materialization.metadata.items()}


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return row[0]


def test_training_matches_for_region_postings_with_explanations(warehouse: duckdb.DuckDBPyConnection) -> None:
    region_postings = _scalar(
        warehouse, "select count(*) from marts.job_postings where is_in_region and duplicate_of is null"
    )
    matched = _scalar(warehouse, "select count(distinct posting_id) from marts.posting_training_matches")
    # 127 Grand Est offers in the snapshot, near duplicates left out
    assert 100 < region_postings <= 127  # type: ignore[operator]
    assert matched >= 0.95 * region_postings  # type: ignore[operator]
    unexplained = _scalar(
        warehouse,
        """
        select count(*) from marts.posting_training_matches
        where score is null or rank is null or radius_label is null or occupation_link is null
           or link_method is null or matched_rome_code is null or covered_skills is null
           or missing_skills is null or (radius_label in ('30km', '60km') and distance_km is null)
           or (radius_label in ('30km', '60km') and distance_km > radius_km)
        """,
    )
    assert unexplained == 0
    outside_region = _scalar(
        warehouse,
        "select count(*) from marts.posting_training_matches join marts.job_postings using (posting_id) "
        "where not is_in_region",
    )
    assert outside_region == 0
    # the radius widens only when nothing was found nearer: one radius per posting
    assert (
        _scalar(
            warehouse,
            "select count(*) from (select posting_id from marts.posting_training_matches "
            "group by posting_id having count(distinct radius_label) > 1)",
        )
        == 0
    )


def test_candidate_matches_are_synthetic_within_radius_and_explained(
    warehouse: duckdb.DuckDBPyConnection, built_pipeline: tuple[Path, str]
) -> None:
    data_dir, output = built_pipeline
    rows, synthetic, outside = warehouse.execute(
        "select count(*), count(*) filter (where is_synthetic), "
        "count(*) filter (where distance_km > candidate_max_distance_km) from private.posting_candidate_matches"
    ).fetchone()  # type: ignore[misc]
    assert rows > 0 and synthetic == rows and outside == 0
    assert (
        _scalar(
            warehouse,
            "select count(*) from private.posting_candidate_matches where score is null or gap_skills is null "
            "or covered_skills is null or is_training_needed is null or (closing_training_id is not null "
            "and closing_training_gap_share is null)",
        )
        == 0
    )
    assert _scalar(warehouse, "select max(rank) from private.posting_candidate_matches") <= 10  # type: ignore[operator]
    assert (data_dir / "synthetic" / "candidates_SYNTHETIC.csv").exists()
    assert not (data_dir / "private" / "candidates.csv").exists()
    assert "using SYNTHETIC candidates" in output


def test_run_metadata_says_synthetic_and_shows_the_funnel(instance: dg.DagsterInstance) -> None:
    candidates = _metadata(instance, "candidates", "profiles")
    assert candidates["is_synthetic"] is True
    assert candidates["dagster/row_count"] == 2000
    matches = _metadata(instance, "matching", "posting_candidate_matches")
    funnel = matches["funnel"]
    assert isinstance(funnel, dict)
    assert (
        funnel["postings"] >= funnel["with_candidate"] >= funnel["needing_training"] >= funnel["with_closing_training"]
    )
    assert matches["is_synthetic"] is True
    # aggregates only: no row of a candidate is shown in the UI
    assert "preview" not in matches and "preview" not in candidates
    assert set(matches["score_distribution"]) == {"min", "p25", "median", "p75", "max"}  # type: ignore[arg-type]
    training = _metadata(instance, "matching", "posting_training_matches")
    assert training["dagster/row_count"] > 0  # type: ignore[operator]


def test_extraction_evaluation_is_recorded_on_every_run(instance: dg.DagsterInstance) -> None:
    metadata = _metadata(instance, "matching", "extracted_posting_skills")
    table = str(metadata["evaluation"])
    assert all(method in table for method in ("extractor", "occupation prior", "exact match", "frequency baseline"))
    # matching/EVALUATION.md: extractor 0.558, occupation prior 0.549 on the report split.
    assert metadata["extractor_f1_report_split"] >= 0.548  # type: ignore[operator]
    assert metadata["occupation_prior_f1_report_split"] >= 0.539  # type: ignore[operator]
    interval = metadata["extractor_minus_prior_f1_ci95"]
    assert interval["ci_low"] <= interval["difference"] <= interval["ci_high"]  # type: ignore[index]
    assert set(metadata["rows_by_origin"]) == {"text", "occupation_prior"}  # type: ignore[arg-type]


def test_no_published_count_of_people_below_five(warehouse: duckdb.DuckDBPyConnection) -> None:
    small = _scalar(
        warehouse,
        """
        select count(*) from marts.outcome_indicators as indicators
        join marts.indicator_definitions as definitions using (indicator_code)
        where (definitions.numerator_unit = 'people' and indicators.numerator < 5)
           or (definitions.denominator_unit = 'people' and indicators.denominator < 5)
           or (definitions.is_part_of_whole and definitions.numerator_unit = 'people'
               and indicators.denominator - indicators.numerator < 5)
           or (is_suppressed and (value is not null or numerator is not null or denominator is not null))
        """,
    )
    assert small == 0
    suppressed = _scalar(warehouse, "select count(*) from marts.outcome_indicators where is_suppressed")
    assert suppressed > 0  # type: ignore[operator]
    # postings are not people: a département with 3 postings shows them
    assert (
        _scalar(
            warehouse,
            "select count(*) from marts.outcome_indicators where indicator_code = 'funnel_postings' and numerator < 5",
        )
        > 0
    )  # type: ignore[operator]
    people = {
        code: unit
        for code, unit in warehouse.execute(
            "select indicator_code, coalesce(numerator_unit, '') || '/' || coalesce(denominator_unit, '') "
            "from marts.indicator_definitions"
        ).fetchall()
    }
    assert people["postings_per_jobseeker"] == "postings/people"
    assert people["funnel_candidates_matched"] == "people/people"
    assert people["skill_gap_index"] == "skill mentions/skill mentions"
    assert people["employment_rate_6_months"] == "/"


def test_secondary_suppression_counts_are_in_the_publish_metadata(
    instance: dg.DagsterInstance, warehouse: duckdb.DuckDBPyConnection
) -> None:
    counts = _metadata(instance, "published", "passerelle")["cells_suppressed_by_rule"]
    assert isinstance(counts, dict)
    assert set(counts) == {"primary", "complement", "secondary_hierarchy", "secondary_breakdown"}
    assert counts["primary"] > 0 and counts["secondary_hierarchy"] > 0 and counts["complement"] > 0
    assert sum(counts.values()) == _scalar(
        warehouse, "select count(*) from marts.outcome_indicators where is_suppressed"
    )


def test_region_44_indicators_cover_every_family(warehouse: duckdb.DuckDBPyConnection) -> None:
    codes = {
        code
        for (code,) in warehouse.execute(
            "select distinct indicator_code from marts.outcome_indicators "
            "where territory_level = 'region' and territory_code = '44'"
        ).fetchall()
    }
    assert {
        "employment_rate_6_months",
        "difficult_hiring_rate",
        "postings_per_jobseeker",
        "tension_indicator",
        "tension_labour_shortage",
        "postings_with_training_within_30_km_share",
        "skill_gap_index",
        "funnel_postings",
        "funnel_postings_with_candidate",
        "funnel_candidates",
        "funnel_candidates_matched",
    } <= codes
    defined = {
        code for (code,) in warehouse.execute("select indicator_code from marts.indicator_definitions").fetchall()
    }
    used = {
        code for (code,) in warehouse.execute("select distinct indicator_code from marts.outcome_indicators").fetchall()
    }
    assert used <= defined
    # BMO 2024, Grand Est: difficult projects over projects where both are published
    rate, numerator, denominator = warehouse.execute(
        "select value, numerator, denominator from marts.outcome_indicators where indicator_code = "
        "'difficult_hiring_rate' and territory_level = 'region' and territory_code = '44'"
    ).fetchone()  # type: ignore[misc]
    independent = _scalar(
        warehouse,
        "select sum(difficult_projects) / sum(projects) from marts.hiring_needs "
        "where region_code = '44' and difficulty_rate is not null",
    )
    assert rate == pytest.approx(independent)
    assert numerator < denominator


def test_published_copy_matches_the_warehouse(
    built_pipeline: tuple[Path, str], warehouse: duckdb.DuckDBPyConnection
) -> None:
    data_dir, _ = built_pipeline
    published = data_dir / "published" / "passerelle.duckdb"
    marts = {
        name: _scalar(warehouse, f"select count(*) from marts.{name}")
        for (name,) in warehouse.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    with duckdb.connect(str(published), read_only=True) as connection:
        for name, rows in marts.items():
            assert _scalar(connection, f"select count(*) from marts.{name}") == rows, name
    assert {path.stem for path in (data_dir / "published" / "parquet").glob("*.parquet")} == set(marts)


def test_data_quality_accounts_for_every_raw_table_of_the_run(
    warehouse: duckdb.DuckDBPyConnection, instance: dg.DagsterInstance
) -> None:
    runs = instance.get_runs()
    # `passerelle run` is two runs: the offers' days, then every other asset
    assert sorted(run.job_name for run in runs) == ["france_travail_offers", "refresh_all"]
    rows = warehouse.execute(
        "select run_id, source, table_name, rows_read, rows_landed, rows_quarantined, is_accounted "
        "from marts.data_quality"
    ).fetchall()
    by_table = {(source, table): (read, landed, quarantined) for _, source, table, read, landed, quarantined, _ in rows}
    assert {run_id for run_id, *_ in rows} == {run.run_id for run in runs}
    # rows read are counted apart from the parsers, for every table, and every table adds up
    assert [row for row in rows if row[-1] is not True] == []
    # the ROME-ISCO sheet has 893 rows under its header: 532 codes and 361 formatted empty rows
    assert by_table[("rome_crosswalks", "rome_isco08")] == (893, 532, 361)
    # the zones d'emploi file ends with an empty line, quarantined with its reason
    assert by_table[("geography", "zones_emploi")] == (34936, 34935, 1)
    assert by_table[("rome", "fiches")] == (1584, 1584, 0)
    assert by_table[("candidates", "profiles")] == (2000, 2000, 0)
    # the SAS format file: every quoted key of the two passage formats
    assert by_table[("fap", "rome_v3_to_fap2009")] == (2341, 2341, 0)
    # U+FFFD titles of the Kit v1.4: repaired from a clean title of the same certification, or flagged
    repairs = warehouse.execute(
        "select source, table_name, texts_repaired, texts_flagged from marts.data_quality "
        "where texts_repaired is not null"
    ).fetchall()
    assert repairs == [("kit_apprentissage", "codes_diplomes", 3019, 10845)]
    # every ROME and commune code of the bundled offers is known to the referentials: none set aside,
    # and the count says 0 (checked), not NULL, on the offers' latest landing only
    set_aside = warehouse.execute(
        "select source, table_name, values_set_aside from marts.data_quality where values_set_aside is not null"
    ).fetchall()
    assert set_aside == [("france_travail", "job_offers", 0)]
    assert _scalar(warehouse, "select count(*) from marts.set_aside_values") == 0
