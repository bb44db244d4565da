"""ESCO v1.0.x in French (European Commission): occupations, skills, ISCO groups, skill groups and
the two "broader" hierarchies.

Bundled as the CSV export of the classification (UTF-8, comma). Records end in CRLF while the
``altLabels`` cells hold several labels separated by a bare LF inside quotes: the CSV reader keeps
quoted newlines, so each record stays one row and ``alt_labels`` keeps its LF separators (staging
splits them). The ``description`` columns are empty in this export; they are kept so that a newer
export that fills them lands without a schema change. ISCO codes stay text ('0110').
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ingestion.casting import Column
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import snapshot_file
from ingestion.rules import NO_RULES, TableRules
from ingestion.tables import ParsedTable, RawTable

FOLDER = "esco"
SOURCE = "esco"


def _concept(*extra: Column, labelled: bool = True) -> list[Column]:
    """The columns every ESCO concept file shares, with the file's own columns in between."""
    head = [
        Column("concept_type", source="conceptType", required=True),
        Column("concept_uri", source="conceptUri", required=True),
        *extra,
    ]
    if not labelled:
        return head
    return [
        *head,
        Column("preferred_label", source="preferredLabel", required=True),
        Column("alt_labels", source="altLabels"),
        Column("description", source="description"),
    ]


def _broader() -> list[Column]:
    return [
        *_concept(labelled=False),
        Column("broader_type", source="broaderType", required=True),
        Column("broader_uri", source="broaderUri", required=True),
    ]


SCHEMAS: dict[str, tuple[str, list[Column]]] = {
    "occupations": ("occupations_fr.csv", _concept(Column("isco_group", source="iscoGroup"))),
    "skills": (
        "skills_fr.csv",
        _concept(Column("skill_type", source="skillType"), Column("reuse_level", source="reuseLevel")),
    ),
    "isco_groups": ("ISCOGroups_fr.csv", _concept(Column("code", required=True))),
    "skill_groups": ("skillGroups_fr.csv", _concept()),
    "occupation_hierarchy": ("broaderRelationsOccPillar.csv", _broader()),
    "skill_hierarchy": ("broaderRelationsSkillPillar.csv", _broader()),
}

DESCRIPTIONS = {
    "occupations": "One row per ESCO occupation (2,942), French preferred label, LF-separated alternative labels and 4-digit ISCO-08 group. Source: ESCO v1.0.x CSV export, occupations_fr.csv.",
    "skills": "One row per ESCO skill or knowledge concept (13,485), French labels, skill type and reuse level. Source: ESCO v1.0.x CSV export, skills_fr.csv.",
    "isco_groups": "One row per ISCO-08 group (619: major, sub-major, minor and unit groups) with its French label. Source: ESCO v1.0.x CSV export, ISCOGroups_fr.csv.",
    "skill_groups": "One row per top-level ESCO skill group (17). Source: ESCO v1.0.x CSV export, skillGroups_fr.csv.",
    "occupation_hierarchy": "One row per (concept, broader concept) link of the occupation pillar (3,551): ISCO groups and occupations up to their parent. Source: ESCO v1.0.x, broaderRelationsOccPillar.csv.",
    "skill_hierarchy": "One row per (concept, broader concept) link of the skill pillar (7,161): skills and skill groups up to their parent. Source: ESCO v1.0.x, broaderRelationsSkillPillar.csv.",
}


def parse(table: str, snapshot_dir: Path) -> ParsedTable:
    file_name, schema = SCHEMAS[table]
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, file_name), schema)


RULES: dict[str, TableRules] = {
    **{
        table: TableRules(unique=("concept_uri",)) for table in ("occupations", "skills", "isco_groups", "skill_groups")
    },
    # A concept may be listed twice under one parent, once per concept type (155 skills are both a
    # skill group and a skill): the types are part of the key.
    "occupation_hierarchy": TableRules(unique=("concept_type", "concept_uri", "broader_type", "broader_uri")),
    "skill_hierarchy": TableRules(unique=("concept_type", "concept_uri", "broader_type", "broader_uri")),
}

TABLES: list[RawTable] = [
    RawTable(SOURCE, table, DESCRIPTIONS[table], partial(parse, table), SCHEMAS[table][1], RULES.get(table, NO_RULES))
    for table in SCHEMAS
]
