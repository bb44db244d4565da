"""Materialize several asset selections at once, each in its own run, as ``dagster asset materialize``
does (the same code), but with one import of the definitions for all of them: each run is a forked
child of this process.

    python tests/profile_runs.py '[["rome/fiches,rome/items", null, null], ["france_travail/job_offers", "2025-01-08", null]]' [GO_FILE]

Each item is [selection, partition or null, partition range "<first>...<last>" or null]. With GO_FILE,
the runs start once that file exists (the definitions are imported meanwhile). The runs use
the Dagster instance of DAGSTER_HOME and the definitions' executor (PASSERELLE_EXECUTOR). Exits 1
naming the runs that failed.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from pathlib import Path

from dagster._cli.asset import execute_materialize_command
from dagster._core.instance import DagsterInstance
from dagster_shared.cli import PythonPointerOpts

import orchestration.definitions  # noqa: F401 - imported once here, inherited by every forked run

DEFINITIONS = PythonPointerOpts(module_name="orchestration.definitions")


def materialize(select: str, partition: str | None, partition_range: str | None) -> None:
    with DagsterInstance.get() as instance:
        execute_materialize_command(
            instance=instance,
            select=select,
            partition=partition,
            partition_range=partition_range,
            config=(),
            config_json=None,
            python_pointer_opts=DEFINITIONS,
        )


def main(specification: str, go_file: str | None = None) -> int:
    runs = [tuple(item) for item in json.loads(specification)]
    # The instance's storage is created here, once: runs that first open a fresh one at the same
    # moment race on its schema version.
    DagsterInstance.get().dispose()
    while go_file is not None and not Path(go_file).exists():
        time.sleep(0.2)
    fork = multiprocessing.get_context("fork")
    children = [fork.Process(target=materialize, args=run, name=str(run)) for run in runs]
    for child in children:
        child.start()
    for child in children:
        child.join()
    failed = [child.name for child in children if child.exitcode != 0]
    if failed:
        print(f"failed runs: {failed}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
