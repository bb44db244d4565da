"""The run-failure sensor on a real failed run: one JSON POST to PASSERELLE_ALERT_WEBHOOK (loopback)."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer


def test_failed_run_posts_one_line_summary(
    dbt_manifest: Path, tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.checks import alert_on_run_failure
    from orchestration.definitions import raw_assets
    from orchestration.resources import OpenDataSources, PasserellePaths

    regions = next(asset for asset in raw_assets if asset.key == dg.AssetKey(["geography", "regions"]))
    empty_snapshot = tmp_path / "empty_snapshot"
    empty_snapshot.mkdir()
    paths = PasserellePaths(data_dir=str(tmp_path / "data"), snapshot_dir=str(empty_snapshot), region="44")
    httpserver.expect_oneshot_request("/alert", method="POST").respond_with_data("ok")
    monkeypatch.setenv("PASSERELLE_ALERT_WEBHOOK", httpserver.url_for("/alert"))

    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            [regions],
            resources={"paths": paths, "open_data": OpenDataSources()},
            instance=instance,
            raise_on_error=False,
        )
        assert not result.success
        context = dg.build_run_status_sensor_context(
            sensor_name="alert_on_run_failure",
            dagster_event=result.get_run_failure_event(),
            dagster_instance=instance,
            dagster_run=result.dagster_run,
        ).for_run_failure()
        alert_on_run_failure(context)

    [(request, _)] = httpserver.log
    body = json.loads(request.get_data(as_text=True))
    assert body["run_id"] == result.run_id
    assert body["step"] == "geography__regions"
    assert "v_region_[0-9][0-9][0-9][0-9].csv" in body["error"]
    assert (
        body["summary"]
        == f"passerelle run {result.run_id} ({body['job']}) failed at geography__regions: {body['error']}"
    )
