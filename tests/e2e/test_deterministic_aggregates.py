"""The employment rates by territory are the same, digit for digit, however DuckDB's threads add them.

The model's SQL as dbt compiles it, run again and again with 4 threads on the shared build's
warehouse (read-only). Averaged as doubles, the same rows gave 3 different results in 20 runs
(the threads' partial sums combine in any order); summed in decimal and divided once, one.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.conftest import DBT_PROJECT_DIR, VENV_BIN, pipeline_environment

MODEL = "int_employment_rates_aggregated"
RUNS = 12


def _compiled_sql(data_dir: Path, target: Path) -> str:
    """The model's SQL compiled by dbt with no database access (relations named, never read)."""
    target.mkdir(parents=True)
    data_dir.mkdir(parents=True)  # dbt-duckdb opens (creates) the empty warehouse named by the profile
    # dbt's parse state from `make manifest`: a partial parse instead of a full one
    state = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if state.exists():
        shutil.copy(state, target / state.name)
    subprocess.run(
        [
            str(VENV_BIN / "dbt"),
            "compile",
            "--select",
            MODEL,
            "--no-introspect",
            "--quiet",
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
        ],
        cwd=DBT_PROJECT_DIR,
        env=pipeline_environment(data_dir),
        check=True,
        capture_output=True,
    )
    [compiled] = target.glob(f"compiled/**/{MODEL}.sql")
    return compiled.read_text(encoding="utf-8")


def test_employment_rates_do_not_depend_on_the_order_threads_add_them(built_warehouse: Path, tmp_path: Path) -> None:
    # compiled against an empty data directory: the relation names are the same ("warehouse"."...")
    sql = _compiled_sql(tmp_path / "data", tmp_path / "target")
    digests = set()
    with duckdb.connect(str(built_warehouse), read_only=True) as warehouse:
        warehouse.execute("set threads = 4")
        for _ in range(RUNS):
            rows = warehouse.execute(f"select * from ({sql}) order by all").fetchall()
            digests.add(hashlib.sha256(repr(rows).encode()).hexdigest())
        built = warehouse.execute(f"select * from intermediate.{MODEL} order by all").fetchall()
        # the mean the model publishes is the exact mean of the published whole percents
        region = warehouse.execute(
            f"select value, observations from intermediate.{MODEL} "
            "where territory_level = 'region' and territory_code = '44'"
        ).fetchone()
        exact = warehouse.execute(
            "select sum(cast(employment_rate_6_months as decimal(5, 2))), count(*) "
            "from staging.stg_inserjeunes__establishment_indicators "
            "where is_whole_establishment and employment_rate_6_months is not null "
            "and millesime = (select max(millesime) from staging.stg_inserjeunes__establishment_indicators) "
            "and upper(region_label) like 'GRAND%EST'"
        ).fetchone()
    assert len(rows) > 500
    assert len(digests) == 1
    assert rows == built
    assert region is not None and exact is not None
    assert region[1] == exact[1]
    assert region[0] == float(exact[0]) / (100 * exact[1])
