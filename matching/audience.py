"""Who reads which table: analysts read ``published/``, advisers read ``private/operator/``.

Analysts get aggregates only. A table with a column about one person (a candidate's pseudonym,
their radius, gender or registration date) belongs to schema ``private`` of the warehouse
(dbt folder ``models/private``), which is copied to ``private/operator/`` and never published.
:func:`assert_publishable` is the last barrier before the publish step copies a schema.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

ANALYSTS_SCHEMA = "marts"
OPERATOR_SCHEMA = "private"
# Column names that only a row about one person carries. Aggregates name their counts in the
# plural (``candidates``, ``candidates_matched``), never ``candidate_…``.
PERSON_COLUMN = re.compile(r"^(candidate_.*|participant_.*|jobseeker_id|pseudonym.*|gender|registered_at|birth.*)$")


def person_columns(connection: duckdb.DuckDBPyConnection, database: str, schema: str) -> dict[str, list[str]]:
    """The person columns of every table of ``database``.``schema``, by table (empty when none)."""
    found: dict[str, list[str]] = {}
    for table, column in connection.execute(
        "select table_name, column_name from duckdb_columns() where database_name = ? and schema_name = ? "
        "order by table_name, column_index",
        [database, schema],
    ).fetchall():
        if PERSON_COLUMN.match(column):
            found.setdefault(table, []).append(column)
    return found


def assert_publishable(warehouse: Path, schema: str = ANALYSTS_SCHEMA) -> None:
    """Raise when a table of ``schema`` in ``warehouse`` has a column about one person."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        database = connection.execute("select current_database()").fetchone()
        found = person_columns(connection, str(database[0]) if database else "", schema)
    if found:
        raise ValueError(
            f"{warehouse}: schema {schema!r} holds columns about one person, which analysts must never "
            f"read: {found}. Move such models to dbt_project/models/private (schema {OPERATOR_SCHEMA!r})."
        )
