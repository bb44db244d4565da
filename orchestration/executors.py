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
        return dg.multiprocess_executor.configured({"max_concurrent": settings.max_processes}, name="multiprocess")
    # DuckDB accepts one writing process, and the steps are short enough that the start-up cost
    # of one process per step would dominate on two cores.
    return dg.in_process_executor
