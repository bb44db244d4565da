"""The occupations and skills marts, read from the shared pipeline build."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(built_pipeline: tuple[Path, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        yield connection


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    row = connection.execute(sql).fetchone()
    assert row is not None
    return row


def test_occupations_figures(warehouse: duckdb.DuckDBPyConnection) -> None:
    figures = _one(
        warehouse,
        """
        select count(*), count(distinct rome_code), count(fap2009_code), count(isco08_code),
               count(*) filter (where is_digital), count(*) filter (where is_in_digital_domain),
               count(*) filter (where is_digital_transition), count(*) filter (where is_historic_rome_code),
               count(*) filter (where is_fap2009_by_qualification)
        from marts.occupations
        """,
    )
    assert figures == (1584, 1584, 1584, 1584, 88, 94, 170, 532, 520)


def test_data_engineer_row(warehouse: duckdb.DuckDBPyConnection) -> None:
    row = _one(
        warehouse,
        """
        select label, parent_rome_code, is_digital, professional_domain_code, grand_domain_code,
               fap2009_code, isco08_code
        from marts.occupations where rome_code = 'M1811'
        """,
    )
    assert row == ("Data engineer", "M1802", True, "M18", "M", "M2Z90", "1330")


def test_digital_rule_is_the_conjunction_of_domain_and_flag(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    # Meteorologist: in M18 but not flagged; journalist: flagged but outside M18.
    rows = dict(
        warehouse.execute(
            "select rome_code, is_digital from marts.occupations where rome_code in ('M1809', 'E1106', 'M1805')"
        ).fetchall()
    )
    assert rows == {"M1809": False, "E1106": False, "M1805": True}
    mismatches = _one(
        warehouse,
        """
        select count(*) from marts.occupations
        where is_digital <> (professional_domain_code = 'M18' and is_digital_transition)
        """,
    )
    assert mismatches == (0,)


def test_fap2009_multi_mapping_keeps_the_most_frequent_family(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    # A1416 reaches A0Z40 for qualifications 0-6 and A2Z70 for 7-9.
    row = _one(
        warehouse,
        "select fap2009_code, fap2009_codes, fap2009_code_count from marts.occupations where rome_code = 'A1416'",
    )
    assert row == ("A0Z40", "A0Z40,A2Z70", 2)
    parents = warehouse.execute(
        """
        select fap2009_code_count, count(*) from intermediate.int_rome_fap2009_links_ranked
        where is_primary group by 1 order by 1
        """
    ).fetchall()
    assert parents == [(1, 331), (2, 184), (3, 17)]


def test_armed_forces_isco_code_keeps_its_leading_zero(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    assert _one(warehouse, "select isco08_code from marts.occupations where rome_code = 'K1703'") == ("0110",)


def test_skills_figures(warehouse: duckdb.DuckDBPyConnection) -> None:
    kinds = dict(warehouse.execute("select kind, count(*) from marts.skills group by kind").fetchall())
    assert kinds == {"savoir_faire": 18301, "savoir_etre": 16, "savoir": 15354, "work_context": 179}
    figures = _one(
        warehouse,
        """
        select count(*), count(esco_uri), count(*) filter (where esco_candidate_count > 1),
               count(macro_competence_code), count(*) filter (where is_macro_competence)
        from marts.skills
        """,
    )
    assert figures == (33850, 367, 11, 17810, 507)


def test_skill_esco_match_examples(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = {
        code: (label, uri, label_type)
        for code, label, uri, label_type in warehouse.execute(
            """
            select skill_code, label, esco_uri, esco_matched_label_type from marts.skills
            where skill_code in (104548, 100286, 100023)
            """
        ).fetchall()
    }
    assert rows[104548] == (
        "Informatique",
        "http://data.europa.eu/esco/skill/7b5cce4d-c7fe-4119-b48f-70aa05391787",
        "preferred",
    )
    # "Techniques de soudure" is an ESCO preferred label and another skill's alternative label.
    assert rows[100286] == (
        "Techniques de soudure",
        "http://data.europa.eu/esco/skill/0bb4b474-da3a-45ce-9de3-0c964d84e73f",
        "preferred",
    )
    assert rows[100023] == ("Abattre un arbre", None, None)
    macro = _one(
        warehouse,
        "select macro_competence_code, macro_competence_label, kind from marts.skills where skill_code = 100023",
    )
    assert macro[0] == 300230 and macro[2] == "savoir_faire" and macro[1]
