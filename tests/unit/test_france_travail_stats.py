"""France Travail "Marché du travail" API responses on the real saved files, and bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from ingestion import france_travail_stats as stats
from ingestion.errors import SourceFileError

KEY = [
    "indicator_code",
    "territory_type",
    "territory_code",
    "activity_type",
    "activity_code",
    "period_type",
    "period_code",
    "nomenclature_code",
    "characteristic_type",
    "characteristic_code",
]


@pytest.fixture(scope="module")
def values(snapshot_dir: Path) -> pd.DataFrame:
    parsed = stats.parse_indicator_values(snapshot_dir)
    assert len(parsed.rejects) == 0
    return parsed.rows


def test_counts_and_grain(values: pd.DataFrame) -> None:
    de_1 = values[values["indicator_code"] == "DE_1"]
    # 189 period x category entries, each with its main value and 46 characteristic values.
    assert de_1["characteristic_type"].isna().sum() == 189
    assert len(de_1) == 189 * 47
    assert len(values[values["indicator_code"] == "DYN_1"]) == 17
    assert not values.duplicated(KEY).any()
    assert set(de_1["period_code"]) >= {"2016T1", "2022T3"} and de_1["period_code"].nunique() == 27


def test_documented_example_de_1_2022t3(values: pd.DataFrame) -> None:
    # Read by hand in the bundled response (DE_1, region 75, A1203), 2022T3: ABC = 7,390, of whom
    # 520 women (H 6,880); A = 4,430 (F 290).
    quarter = values[
        (values["period_code"] == "2022T3") & (values["territory_code"] == "75") & (values["activity_code"] == "A1203")
    ]
    abc = quarter[quarter["nomenclature_code"] == "ABC"].set_index("characteristic_code", drop=False)
    main = abc[abc["characteristic_type"].isna()]
    assert main["value_count"].tolist() == [7390]
    assert abc.loc["F", "value_count"] == 520 and abc.loc["H", "value_count"] == 6880
    assert abc.loc["F", "characteristic_label"] == "Femme"
    a = quarter[quarter["nomenclature_code"] == "A"].set_index("characteristic_code", drop=False)
    assert a.loc[a["characteristic_type"].isna(), "value_count"].tolist() == [4430]
    assert a.loc["F", "value_count"] == 290


def test_numbers_are_typed_and_rounded_to_ten(values: pd.DataFrame) -> None:
    assert str(values["value_count"].dtype) == "Int64"
    assert str(values["value_percent"].dtype) == "Float64"
    counts = values["value_count"].dropna()
    assert len(counts) == 189 * 47 and (counts % 10 == 0).all()
    assert not values["is_masked"].fillna(False).any()
    assert str(values["updated_at"].dt.tz) == "UTC"


def test_dynamique_emploi_class_is_text(values: pd.DataFrame) -> None:
    dyn = values[values["indicator_code"] == "DYN_1"].set_index("period_code")
    assert dyn["value_count"].isna().all()
    assert dyn.loc["2023T1", "value_class"] == "3" and dyn.loc["2022T3", "value_class"] == "1"
    assert set(dyn["value_class"]) <= {"1", "2", "3", "4", "5"}


def test_indicator_referential(snapshot_dir: Path) -> None:
    parsed = stats.parse_indicators(snapshot_dir)
    rows = parsed.rows.set_index("indicator_code")
    assert len(rows) == 17 and len(parsed.rejects) == 0
    assert {"ACC_1", "ACC_2", "DE_1", "DYN_1", "OFF_1", "SAL_1"} <= set(rows.index)
    assert rows.loc["DE_1", "territory_types"] == "NAT,REG,DEP,BASBMO,AGC,EPCI"
    # A lone object where the API means a one-element list is read as that list.
    assert rows.loc["DE_1", "period_types"] == "TRIMESTRE"
    assert rows.loc["DE_5", "period_types"] == "TRIMESTRE,MOIS"
    assert rows.loc["ACC_2", "activity_types"] == "CUMUL,FORM,FORM14,FORM65"
    assert "GENRE" in rows.loc["DE_1", "characteristic_types"].split(",")
    assert pd.isna(rows.loc["CHOM_1", "characteristic_types"])
    assert bool(rows["is_available"].all())


def _copy_folder(snapshot_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / stats.FOLDER
    shutil.copytree(snapshot_dir / stats.FOLDER, target)
    return target


def test_malformed_response_names_file_line_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    folder = _copy_folder(snapshot_dir, tmp_path)
    path = folder / "stat-dynamique-emploi_REG75_response.json"
    text = path.read_text(encoding="utf-8")
    # One-line file: the opening quote of a class value becomes a digit, so `:11"` leaves a stray
    # quote at 0-based offset position + 2, i.e. column position + 3.
    position = text.index('"valeurPrincipaleNom":"1"') + len('"valeurPrincipaleNom":')
    path.write_text(text[:position] + "1" + text[position + 1 :], encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        stats.parse_indicator_values(tmp_path)
    message = str(error.value)
    assert "stat-dynamique-emploi_REG75_response.json: line 1, column " in message
    assert int(message.split("column ")[1].split(":")[0]) == position + 3


def test_response_without_values_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "stat-offres_response.json"
    path.write_text(json.dumps({"codeIndicateur": "OFF_1", "listeValeursParPeriode": "none"}), encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"stat-offres_response.json: listeValeursParPeriode: expected"):
        stats.parse_response(path)


def test_non_numeric_count_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    document = json.loads((snapshot_dir / stats.FOLDER / "stat-demandeurs_DE_1_REG75_A1203_response.json").read_text())
    document["listeValeursParPeriode"] = document["listeValeursParPeriode"][:2]
    document["listeValeursParPeriode"][0]["listeValeurParCaract"][1]["nombre"] = "secret"
    path = tmp_path / "stat-demandeurs_response.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    parsed = stats.parse_response(path)
    assert parsed.rows_accounted == 2 * 47 and len(parsed.rejects) == 1
    assert parsed.rejects["reject_reason"].iloc[0] == "column 'value_count': expected an integer, found 'secret'"
