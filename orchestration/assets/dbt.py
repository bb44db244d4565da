"""The dbt project as assets: one asset per model, dbt tests as asset checks."""


from collections.abc import Iterator

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.resources import dbt_project


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, name="passerelle_dbt")
def passerelle_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[object]:
    """Staging views, intermediate models and marts, built and tested by `dbt build`."""
    yield from dbt.cli(["build"], context=context).stream()
