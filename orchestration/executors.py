"""How a launched run executes its steps: in process (the default), one process per step, or Celery workers.

``passerelle run`` always executes in process; this choice applies to the runs the daemon, the UI or
``dagster job execute`` / ``dagster asset materialize`` launch. The production profile
(docs/deploy.md) is ``PASSERELLE_EXECUTOR=celery`` with Dagster's PostgreSQL storage: each step is a
Celery task that any worker listening to the broker may take.
"""

from __future__ import annotations

import dagster as dg
from dagster._core.definitions.op_definition import OpDefinition

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
# another process while it writes): every step that opens it is in this pool, and carries this tag.
# The pool's limit is the instance's (docs/deploy/dagster.yaml: 1), checked for every step across
# runs and Celery workers; the multiprocess executor also holds the tag to one step at a time
# within a run, whatever the instance.
WAREHOUSE_POOL = "warehouse_duckdb"
WAREHOUSE_TAG = ("passerelle/opens", "warehouse.duckdb")


def in_warehouse_pool(definition: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """``definition`` (assets or asset checks) with its op in the warehouse pool and tagged.

    The op is rebuilt with Dagster's own constructor: the dbt stages are built by dagster-dbt's
    decorator, and one list in orchestration/definitions.py says which steps open the warehouse.
    """
    op = definition.op
    pooled = OpDefinition.dagster_internal_init(
        name=op.name,
        ins={input_def.name: dg.In.from_definition(input_def) for input_def in op.input_defs},
        outs={output_def.name: dg.Out.from_definition(output_def) for output_def in op.output_defs},
        compute_fn=op.compute_fn,
        config_schema=op.config_schema,
        description=op.description,
        tags={**op.tags, WAREHOUSE_TAG[0]: WAREHOUSE_TAG[1]},
        required_resource_keys=op.required_resource_keys,
        code_version=op.version,
        retry_policy=op.retry_policy,
        version=None,
        pool=WAREHOUSE_POOL,
    )
    return definition.__class__.dagster_internal_init(**{**definition.get_attributes_dict(), "node_def": pooled})
