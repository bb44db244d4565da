"""How a launched run executes its steps: in process (the default), one process per step, or Celery workers.

``passerelle run`` always executes in process; this choice applies to the runs the daemon, the UI or
``dagster job execute`` / ``dagster asset materialize`` launch. The production profile
(docs/deploy.md) is ``PASSERELLE_EXECUTOR=celery`` with Dagster's PostgreSQL storage: each step is a
Celery task that any worker listening to the broker may take.
"""

from __future__ import annotations

import dagster as dg

from orchestration.settings import Settings


def build_executor(settings: Settings) -> dg.ExecutorDefinition:
    """The executor ``PASSERELLE_EXECUTOR`` names, configured from the settings."""
    if settings.executor == "celery":
        # Imported here: Celery's import is paid only by the profile that uses it.
        from dagster_celery import celery_executor

        # Workers are started with docs/deploy/celery.yaml, which reads the same two variables.
        return celery_executor.configured(
            {"broker": settings.celery_broker, "backend": settings.celery_backend}, name="celery"
        )
    if settings.executor == "multiprocess":
        return dg.multiprocess_executor.configured(
            {
                "max_concurrent": settings.max_processes,
                "tag_concurrency_limits": [{"key": WAREHOUSE_TAG[0], "value": WAREHOUSE_TAG[1], "limit": 1}],
            },
            name="multiprocess",
        )
    # DuckDB accepts one writing process, and the steps are short enough that the start-up cost
    # of one process per step would dominate on two cores.
    return dg.in_process_executor


# One process at a time opens warehouse.duckdb (DuckDB: one writing process, and no reader in
# another process while it writes): every step that opens it is declared in this pool and carries
# this tag (``pool=WAREHOUSE_POOL, op_tags=WAREHOUSE_OP_TAGS`` on its decorator; a test in
# tests/integration/test_definitions.py finds the steps that open it and checks both).
# The pool's limit is the instance's (docs/deploy/dagster.yaml: 1), checked for every step across
# runs and Celery workers; the multiprocess executor also holds the tag to one step at a time
# within a run, whatever the instance.
WAREHOUSE_POOL = "warehouse_duckdb"
WAREHOUSE_TAG = ("passerelle/opens", "warehouse.duckdb")
WAREHOUSE_OP_TAGS = {WAREHOUSE_TAG[0]: WAREHOUSE_TAG[1]}
