"""The benchmark's stage attribution: every step of a run falls in a named stage, and each memory
sample counts toward the stage of the step running when it was taken."""

from __future__ import annotations

from bench.pipeline import STAGES, stage_figures, stage_of


def test_every_step_of_a_run_falls_in_a_named_stage() -> None:
    steps = [
        ("france_travail__job_offers", 0.0, 10.0),
        ("rome__items_great_expectations", 10.0, 11.0),
        ("passerelle_dbt_warehouse", 11.0, 40.0),
        ("extracted_posting_skills", 40.0, 60.0),
        ("passerelle_dbt_enriched", 60.0, 70.0),
        ("matching__posting_candidate_matches", 70.0, 75.0),
        ("passerelle_dbt_outcomes", 75.0, 80.0),
        ("published__passerelle", 80.0, 82.0),
    ]
    samples = [(5.0, 300.0), (30.0, 900.0), (50.0, 1500.0), (65.0, 800.0), (78.0, 700.0), (81.0, 400.0)]
    seconds, peaks = stage_figures(steps, samples)
    assert [stage_of(key) for key, _, _ in steps] == [
        "landing",
        "quality checks",
        "dbt",
        "extraction",
        "dbt",
        "matching",
        "indicators",
        "publish",
    ]
    assert seconds == {
        "landing": 10.0,
        "quality checks": 1.0,
        "dbt": 39.0,
        "extraction": 20.0,
        "matching": 5.0,
        "indicators": 5.0,
        "publish": 2.0,
    }
    assert peaks == {
        "landing": 300.0,
        "quality checks": 0.0,
        "dbt": 900.0,
        "extraction": 1500.0,
        "matching": 0.0,
        "indicators": 700.0,
        "publish": 400.0,
    }
    assert set(seconds) == set(STAGES)
