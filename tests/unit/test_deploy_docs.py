"""docs/deploy.md quotes the production profile's dagster.yaml: the quote is the file the profile
test runs on, not a copy that drifts from it."""

from __future__ import annotations

import re

import yaml

from orchestration.settings import REPOSITORY_ROOT


def test_deploy_guide_quotes_the_dagster_yaml_the_profile_test_uses() -> None:
    guide = (REPOSITORY_ROOT / "docs" / "deploy.md").read_text()
    committed = (REPOSITORY_ROOT / "docs" / "deploy" / "dagster.yaml").read_text()
    quoted = re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
    assert quoted == [committed]
    instance = yaml.safe_load(committed)
    assert instance["storage"]["postgres"]["postgres_url"] == {"env": "PASSERELLE_DAGSTER_PG_URL"}
    assert instance["concurrency"]["pools"] == {"granularity": "op", "default_limit": 1}
