"""RCO apprenticeship flow (CSV and JSON) and Offre Info parsers, on the real bundled files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from ingestion import rco
from ingestion.errors import SourceFileError

GRAND_EST_DEPARTEMENTS = ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]


@pytest.fixture(scope="module")
def flow(snapshot_dir: Path):
    return rco.parse_flow_csv(snapshot_dir / rco.FOLDER / f"{rco.FLOW_FILE}.gz")


def test_national_flow_counts(flow) -> None:
    rows = flow.rows
    assert len(rows) == 39510 and len(flow.rejects) == 0
    assert rows["id_formation"].nunique() == 27362
    assert int(rows["published"].sum()) == 17462
    assert rows["rncp_code"].notna().sum() == 37302
    assert rows["lieu_formation_latitude"].notna().sum() == 39503
    assert rows["capacite"].isna().all()


def test_grand_est_actions_by_place_of_training(flow) -> None:
    rows = flow.rows
    grand_est = rows[rows["etablissement_lieu_formation_code_insee"].str[:2].isin(GRAND_EST_DEPARTEMENTS)]
    assert len(grand_est) == 2506
    assert int(grand_est["published"].sum()) == 1606
    assert grand_est["cfd"].notna().sum() == 2449
    assert grand_est["rncp_code"].notna().sum() == 2365


def test_first_action_values_and_codes_as_text(flow) -> None:
    first = flow.rows.iloc[0]
    assert first["id_action"] == "24_1408562"
    assert first["cfd"] == "23633502"
    assert first["etablissement_formateur_code_insee"] == "04094"  # leading zero kept
    assert first["lieu_formation_latitude"] == pytest.approx(43.5614)
    assert first["lieu_formation_longitude"] == pytest.approx(5.5248)
    assert str(first["created_at"]).startswith("2020-11-12 14:45:40")


def test_oracle_columns_never_land(flow) -> None:
    assert not set(rco.FLOW_ORACLE_COLUMNS) & set(flow.rows.columns)
    assert not set(rco.FLOW_ORACLE_COLUMNS) & set(flow.rejects.columns)
    assert "rome_codes_via_rncp_kit_v1_4" in str(flow.notes["oracle_columns_dropped"])


def test_offre_info(snapshot_dir: Path) -> None:
    parsed = rco.parse_offre_info(snapshot_dir / rco.FOLDER / f"{rco.OFFRE_INFO_FILE}.gz")
    rows = parsed.rows
    assert len(rows) == 7470 and len(parsed.rejects) == 0
    assert rows["nombre_heures_total"].notna().sum() == 4843
    assert rows["code_rncp"].notna().sum() == 7029
    assert rows["code_scolarite"].notna().sum() == 7106
    assert (rows["intitule_region"] == "Grand-Est").sum() == 278
    assert rows.iloc[0]["nom_formation"] == "Diplôme de design de l'école de design Nantes - Atlantique"
    assert not set(rco.OFFRE_INFO_ORACLE_COLUMNS) & set(rows.columns)


def test_flow_json(snapshot_dir: Path) -> None:
    parsed = rco.parse_flow_json(snapshot_dir / rco.JSON_FOLDER / rco.FLOW_JSON_FILE)
    rows = parsed.rows
    assert len(rows) == 231 and rows["id_formation"].nunique() == 193
    assert rows["rncp_code"].notna().sum() == 221
    assert rows["cfd"].notna().sum() == 215
    assert rows["lieu_formation_latitude"].notna().sum() == 230
    assert "email" not in rows.columns


def test_flow_missing_column_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    lines = gzip.decompress((snapshot_dir / rco.FOLDER / f"{rco.FLOW_FILE}.gz").read_bytes()).decode().splitlines()
    broken = tmp_path / rco.FLOW_FILE
    broken.write_text("\n".join([lines[0].replace("id_action,", "id_actoin,"), *lines[1:50]]) + "\n")
    with pytest.raises(SourceFileError, match=r"DERIVED_rco_formations.*header: expected columns \['id_action'\]"):
        rco.parse_flow_csv(broken)


def test_flow_bad_coordinates_are_quarantined(snapshot_dir: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(snapshot_dir / rco.FOLDER / f"{rco.FLOW_FILE}.gz", dtype=str, nrows=10)
    frame.loc[3, "etablissement_lieu_formation_geo_coordonnees"] = "48.5,not-a-longitude"
    broken = tmp_path / rco.FLOW_FILE
    frame.to_csv(broken, index=False)
    parsed = rco.parse_flow_csv(broken)
    assert (len(parsed.rows), len(parsed.rejects), parsed.rows_accounted) == (9, 1, 10)
    reject = parsed.rejects.iloc[0]
    assert reject["_row_number"] == "4"
    assert reject["reject_reason"] == "column 'lieu_formation_longitude': expected a number, found 'not-a-longitude'"
    assert not set(rco.FLOW_ORACLE_COLUMNS) & set(parsed.rejects.columns)


def test_offre_info_truncated_header_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / rco.OFFRE_INFO_FILE
    broken.write_text("code-region,intitule-region,numeroFO\n44,Grand-Est,X\n")
    with pytest.raises(SourceFileError, match="header: expected columns.*numeroAf"):
        rco.parse_offre_info(broken)


def test_flow_json_wrong_shape_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / rco.FLOW_JSON_FILE
    broken.write_text(json.dumps({"formations": []}))
    with pytest.raises(SourceFileError, match="top level: expected a JSON array of objects, found dict"):
        rco.parse_flow_json(broken)
    broken.write_text('[{"id_action": "1",')
    with pytest.raises(SourceFileError, match="line 1, column 20: expected valid JSON"):
        rco.parse_flow_json(broken)
