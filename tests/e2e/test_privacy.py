"""Two audiences on the built outputs: analysts read aggregates, advisers read the operator copy.

Nothing about one candidate (pseudonym, commune, registration date) reaches published/, the run's
materialization metadata, its event log or its console output; the operator copy under
private/operator/ holds the candidate matches; everything built on the synthetic file says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from matching.audience import person_columns

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def candidates(built_pipeline: tuple[Path, str]) -> pd.DataFrame:
    """The landed (pseudonymised, synthetic) candidates of the run."""
    data_dir, _ = built_pipeline
    return pq.read_table(data_dir / "raw" / "candidates" / "profiles" / "current" / "part-0.parquet").to_pandas()


@pytest.fixture(scope="module")
def run_record(built_pipeline: tuple[Path, str]) -> Iterator[tuple[str, dict[str, str]]]:
    """Every event of the run as text (log messages, metadata values), and the metadata by asset."""
    data_dir, _ = built_pipeline
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        # `passerelle run` is two runs: the offers' days, then every other asset
        events = [event for run in instance.get_runs() for event in instance.all_logs(run.run_id)]
        metadata: dict[str, str] = {}
        texts = []
        for event in events:
            texts.append(event.user_message or "")
            dagster_event = event.dagster_event
            if dagster_event is not None and dagster_event.is_step_materialization:
                materialization = dagster_event.step_materialization_data.materialization
                values = {name: str(value.value) for name, value in materialization.metadata.items()}
                metadata["/".join(materialization.asset_key.path)] = repr(values)
                texts.append(repr(values))
            elif dagster_event is not None:
                texts.append(repr(dagster_event.event_specific_data))
        yield "\n".join(texts), metadata


def test_published_copy_has_no_candidate_column_row_or_table(
    built_pipeline: tuple[Path, str], candidates: pd.DataFrame
) -> None:
    data_dir, _ = built_pipeline
    published = data_dir / "published"
    with duckdb.connect(str(published / "passerelle.duckdb"), read_only=True) as connection:
        tables = {name for (name,) in connection.execute("select table_name from duckdb_tables()").fetchall()}
        assert person_columns(connection, "passerelle", "marts") == {}
        columns = connection.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and data_type = 'VARCHAR'"
        ).fetchall()
        pseudonyms = pd.DataFrame({"candidate_id": candidates["candidate_id"]})
        connection.register("pseudonyms", pseudonyms)
        for table, column in columns:
            hits = connection.execute(
                f'select count(*) from marts."{table}" join pseudonyms on "{column}" = pseudonyms.candidate_id'
            ).fetchone()
            assert hits == (0,), (table, column)
    assert "posting_candidate_matches" not in tables
    assert {"outcome_indicators", "matching_funnel", "indicator_definitions"} <= tables
    assert not list(published.rglob("*candidate_matches*"))


def test_operator_copy_holds_the_candidate_matches_for_advisers(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    operator = data_dir / "private" / "operator"
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as warehouse:
        expected = warehouse.execute("select count(*) from private.posting_candidate_matches").fetchone()
        assert warehouse.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts' "
            "and table_name = 'posting_candidate_matches'"
        ).fetchone() == (0,)
    with duckdb.connect(str(operator / "passerelle.duckdb"), read_only=True) as connection:
        rows, synthetic, pseudonymised = connection.execute(
            "select count(*), count(*) filter (where is_synthetic), "
            "count(*) filter (where regexp_matches(candidate_id, '^cand_[0-9a-f]{20}$')) "
            "from private.posting_candidate_matches"
        ).fetchone()  # type: ignore[misc]
    assert expected is not None and rows == expected[0] > 500
    assert synthetic == rows == pseudonymised
    assert pq.read_table(operator / "parquet" / "posting_candidate_matches.parquet").num_rows == rows


def test_no_candidate_value_in_run_metadata_logs_or_console(
    built_pipeline: tuple[Path, str], candidates: pd.DataFrame, run_record: tuple[str, dict[str, str]]
) -> None:
    _, console = built_pipeline
    events, metadata = run_record
    # the asset that reads candidates, the match step and the operator copy: whole-file counts only
    personal_assets = [
        key
        for key in metadata
        if key.startswith(("candidates/", "matching/posting_candidate", "operator/", "private/"))
    ]
    assert {"candidates/profiles", "matching/posting_candidate_matches", "operator/passerelle"} <= set(personal_assets)
    everything = events + "\n" + console
    pseudonyms = set(candidates["candidate_id"])
    assert not pseudonyms & set(re.findall(r"cand_[0-9a-f]{20}", everything))
    assert "SYNTHETIC-0" not in everything  # the synthetic file's references never land either
    communes = set(candidates["commune_code"])
    dates = set(candidates["registered_at"].dropna().astype(str))
    for key in personal_assets:
        text = metadata[key]
        assert not communes & set(re.findall(r"\b(?:\d{5}|2[AB]\d{3})\b", text)), key
        assert not dates & set(re.findall(r"\d{4}-\d{2}-\d{2}", text)), key
        # no table of rows (the former preview showed pseudonym, commune, gender, date of ten people)
        assert "|---|" not in text and "preview" not in text, key
    # anywhere in the run: no registration date of a candidate next to a commune of theirs
    pairs = set(zip(candidates["commune_code"], candidates["registered_at"].astype(str), strict=True))
    commune, date = r"\b(\d{5}|2[AB]\d{3})\b", r"(\d{4}-\d{2}-\d{2})"
    shown = set(re.findall(commune + r"\W{1,6}" + date, everything))
    shown |= {(code, day) for day, code in re.findall(date + r"\W{1,6}" + commune, everything)}
    assert not pairs & shown


def test_synthetic_candidates_are_labelled_wherever_they_are_used(
    built_pipeline: tuple[Path, str], run_record: tuple[str, dict[str, str]]
) -> None:
    data_dir, console = built_pipeline
    _, metadata = run_record
    assert "SYNTHETIC" in metadata["candidates/profiles"] and "not real people" in metadata["candidates/profiles"]
    assert "'is_synthetic': 'True'" in metadata["matching/posting_candidate_matches"]
    assert "SYNTHETIC candidates" in console
    with duckdb.connect(str(data_dir / "published" / "passerelle.duckdb"), read_only=True) as connection:
        sources = {
            source
            for (source,) in connection.execute(
                "select distinct source from marts.outcome_indicators where indicator_code like 'funnel_candidates%'"
            ).fetchall()
        }
        flags = connection.execute(
            "select bool_and(is_synthetic), count(*) from marts.matching_funnel where counted_unit = 'people'"
        ).fetchone()
    assert sources and all("SYNTHETIC candidates, not real people" in source for source in sources)
    assert flags is not None and flags[0] is True and flags[1] > 0
