"""The programme asset with an operator's private file: used instead of the SYNTHETIC cohort,
pseudonymised, bad rows quarantined, and no synthetic file written."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq

from ingestion.landing import read_manifest

PRIVATE_CSV = (
    "participant_ref,programme_code,applied_at,is_selected,training_id,training_end_at,has_completed,"
    "employed_6_months,employed_12_months,commune_code,gender\n"
    "GE-0001,NUMERIC_EMPLOI_GE,2025-01-10,true,rco:T1,2025-05-10,true,true,,57463,F\n"
    "GE-0002,NUMERIC_EMPLOI_GE,2025-01-11,false,rco:T1,,,,,54395,\n"
    "GE-0003,NUMERIC_EMPLOI_GE,2025-01-12,false,rco:T1,,true,,,54395,M\n"
)


def test_private_programme_file_is_used_and_pseudonymised(dbt_manifest: Path, tmp_path: Path) -> None:
    from orchestration.assets.programme import programme_participants
    from orchestration.resources import PasserellePaths

    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "programme_participants.csv").write_text(PRIVATE_CSV, encoding="utf-8")
    paths = PasserellePaths(data_dir=str(tmp_path), snapshot_dir=str(tmp_path / "unused"), region="44")
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([programme_participants], resources={"paths": paths}, instance=instance)
    assert result.success
    metadata = result.asset_materializations_for_node(programme_participants.op.name)[0].metadata
    assert metadata["is_synthetic"].value is False
    assert metadata["input"].value == "private file"
    assert metadata["rows_quarantined"].value == 1
    assert metadata["rows_quarantined_by_column"].value == {"has_completed": 1}

    partition = tmp_path / "raw" / "programme" / "participants" / "current"
    landed = pq.read_table(partition / "part-0.parquet").to_pandas()
    assert len(landed) == 2 and not landed["is_synthetic"].any()
    assert landed["participant_id"].str.match(r"^part_[0-9a-f]{20}$").all()
    assert not landed.astype(str).apply(lambda column: column.str.contains("GE-000")).any().any()
    assert read_manifest(partition)["rows_read"] == 3
    messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert not any("SYNTHETIC" in (message or "") for message in messages)
    assert not (tmp_path / "synthetic").exists()
