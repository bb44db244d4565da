"""The candidates asset with an operator's private file: pseudonymised, quarantined, not synthetic."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

from ingestion.landing import read_manifest

PRIVATE_CSV = (
    "candidate_ref,sought_rome_codes,skill_codes,commune_code,max_distance_km,gender,registered_at\n"
    "FT-0001,M1811;M1805,100023;100063,57463,30,F,2025-01-15\n"
    "FT-0002,K2204,,54395,20,,\n"
    "FT-0003,K2204,,54395,900,M,\n"
)


def test_private_file_is_used_and_pseudonymised(
    dbt_manifest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.assets.candidates import candidate_profiles
    from orchestration.resources import PasserellePaths

    monkeypatch.delenv("PASSERELLE_PSEUDONYM_SALT", raising=False)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "candidates.csv").write_text(PRIVATE_CSV, encoding="utf-8")
    paths = PasserellePaths(data_dir=str(tmp_path), snapshot_dir=str(tmp_path / "unused"), region="44")
    result = dg.materialize([candidate_profiles], resources={"paths": paths})
    assert result.success
    metadata = result.asset_materializations_for_node(candidate_profiles.op.name)[0].metadata
    assert metadata["is_synthetic"].value is False
    assert metadata["rows_quarantined"].value == 1

    partition = tmp_path / "raw" / "candidates" / "profiles" / "current"
    landed = pq.read_table(partition / "part-0.parquet").to_pandas()
    assert len(landed) == 2 and not landed["is_synthetic"].any()
    assert not landed.astype(str).apply(lambda column: column.str.contains("FT-000")).any().any()
    quarantined = pq.read_table(tmp_path / "quarantine" / "candidates" / "profiles" / "current" / "part-0.parquet")
    assert "FT-0003" not in str(quarantined.to_pydict())
    assert read_manifest(partition)["rows_read"] == 3
    # No salt in the environment: one was generated into private/, and reused by a second run.
    salt_file = tmp_path / "private" / "pseudonym_salt"
    assert salt_file.exists() and (salt_file.stat().st_mode & 0o777) == 0o600
    first_ids = sorted(landed["candidate_id"])
    assert dg.materialize([candidate_profiles], resources={"paths": paths}).success
    again = pq.read_table(partition / "part-0.parquet").to_pandas()
    assert sorted(again["candidate_id"]) == first_ids
    assert not (tmp_path / "synthetic").exists()
