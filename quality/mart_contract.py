"""The contract of the published marts that the pipeline's wiring needs without Great Expectations:
each mart's grain, the marts allowed to be empty, and the columns each mart's YAML documents.

Kept apart from :mod:`quality.mart_suites` (the suites themselves) so that loading the Dagster
definitions does not import Great Expectations (about 4 s per process); the suites import it when a
check runs.
"""

from __future__ import annotations

import json
from pathlib import Path

# One row per ... : the primary key of each mart, as the README documents it.
MART_GRAINS: dict[str, tuple[str, ...]] = {
    "territories": ("territory_level", "territory_code"),
    "occupations": ("rome_code",),
    "skills": ("skill_code",),
    "job_postings": ("posting_id",),
    "posting_texts": ("posting_id",),
    "posting_skills": ("posting_id", "skill_code", "origin"),
    "skill_demand": ("month", "territory_level", "territory_code", "skill_code"),
    "occupation_demand": ("month", "territory_level", "territory_code", "rome_code"),
    "hiring_needs": ("year", "bassin_bmo_code", "bmo_metier_code"),
    "trainings": ("training_id",),
    "training_occupations": ("training_id", "rome_code"),
    "training_skills": ("training_id", "skill_code", "origin"),
    "skill_gaps": ("territory_level", "territory_code", "skill_code"),
    "training_coverage": ("source",),
    "posting_training_matches": ("posting_id", "training_id"),
    "matching_funnel": ("territory_level", "territory_code", "occupation_family", "counted_unit", "stage"),
    "outcome_indicators": ("territory_level", "territory_code", "period", "indicator_code", "breakdown_code"),
    "indicator_definitions": ("indicator_code",),
    "data_quality": ("run_id", "source", "table_name"),
    "training_funding_plan": ("territory_level", "territory_code", "training_id", "rome_code"),
    "programme_funnel": ("territory_level", "territory_code", "breakdown_code", "stage"),
    "set_aside_values": ("source", "table_name", "record_id", "field"),
}

# Marts whose good state is empty: no value set aside is the best outcome, not a broken build.
MAY_BE_EMPTY = frozenset({"set_aside_values"})


def documented_columns(manifest_path: Path) -> dict[str, list[str]]:
    """Per mart, the columns its dbt YAML documents (read from dbt's manifest.json)."""
    manifest = json.loads(manifest_path.read_text())
    return {
        node["name"]: list(node.get("columns", {}))
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("schema") == "marts" and node["name"] in MART_GRAINS
    }
