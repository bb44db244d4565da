"""BMO 2024 workbook and métiers en tension parsers on the real bundled files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ingestion import bmo
from ingestion.errors import SourceFileError


@pytest.fixture(scope="module")
def hiring(snapshot_dir: Path):
    return bmo.parse_hiring_projects(snapshot_dir)


def test_all_rows_and_bassin_columns_found_by_pattern(hiring) -> None:
    rows = hiring.rows
    assert len(rows) == 53443 and len(hiring.rejects) == 0
    assert hiring.notes == {"sheet": "BMO_2024_open_data", "bassin_column": "BE24"}
    assert "bassin_code" in rows.columns and "bassin_name" in rows.columns
    assert not any(column.upper().startswith("BE2") for column in rows.columns)
    assert set(rows["annee"]) == {2024}
    assert rows["reg"].nunique() == 18
    assert rows["code_metier_bmo"].nunique() == 217


def test_grand_est_figures(hiring) -> None:
    grand_est = hiring.rows[hiring.rows["reg"] == "44"]
    assert len(grand_est) == 5159
    assert grand_est["bassin_code"].nunique() == 43
    assert int(grand_est["met"].sum()) == 189816
    assert grand_est.loc[grand_est["bassin_code"] == "4431", "bassin_name"].iloc[0] == "METZ"


def test_secret_cells_are_null_never_zero(hiring) -> None:
    rows = hiring.rows
    assert str(rows["met"].dtype) == "Int64"
    assert rows["met"].isna().sum() == 10891
    assert rows["xmet"].isna().sum() == 20507
    assert rows["smet"].isna().sum() == 39359
    # Marie-Galante agriculteurs: 17 projects, difficult and seasonal counts secret.
    row = rows[(rows["bassin_code"] == "103") & (rows["code_metier_bmo"] == "A0X40")].iloc[0]
    assert row["met"] == 17 and pd.isna(row["xmet"]) and pd.isna(row["smet"])


def _workbook(path: Path, header: list[str], sheet: str = "BMO_2024_open_data") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    worksheet.append(
        [2024, "A0X40", "Agriculteurs", "Z", "Autres", "44", "Grand Est", "57", "Moselle", 4431, "METZ", "12", "*", "3"]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


HEADER = [
    "annee",
    "Code métier BMO",
    "Nom métier BMO",
    "Famille_met",
    "Lbl_fam_met",
    "REG",
    "NOM_REG",
    "Dept",
    "NomDept",
    "BE25",
    "NOMBE25",
    "met",
    "xmet",
    "smet",
]


def test_another_year_header_is_read_by_pattern(tmp_path: Path) -> None:
    _workbook(tmp_path / "bmo" / "Base_open_data_BMO_2024.xlsx", HEADER)
    parsed = bmo.parse_hiring_projects(tmp_path)
    row = parsed.rows.iloc[0]
    assert (row["bassin_code"], row["bassin_name"], row["met"], row["smet"]) == ("4431", "METZ", 12, 3)
    assert pd.isna(row["xmet"])
    assert parsed.notes["bassin_column"] == "BE25"


def test_workbook_without_bassin_column_is_a_clear_error(tmp_path: Path) -> None:
    header = [name if name != "BE25" else "bassin" for name in HEADER]
    _workbook(tmp_path / "bmo" / "Base_open_data_BMO_2024.xlsx", header)
    with pytest.raises(SourceFileError) as error:
        bmo.parse_hiring_projects(tmp_path)
    message = str(error.value)
    assert "Base_open_data_BMO_2024.xlsx" in message
    assert "sheet 'BMO_2024_open_data', header row 1" in message
    assert "^BE\\d+$" in message


def test_workbook_missing_a_measure_column_is_a_clear_error(tmp_path: Path) -> None:
    header = [name if name != "xmet" else "difficiles" for name in HEADER]
    _workbook(tmp_path / "bmo" / "Base_open_data_BMO_2024.xlsx", header)
    with pytest.raises(SourceFileError, match=r"header row 1: expected a column 'xmet'"):
        bmo.parse_hiring_projects(tmp_path)


def test_workbook_without_data_sheet_is_a_clear_error(tmp_path: Path) -> None:
    _workbook(tmp_path / "bmo" / "Base_open_data_BMO_2024.xlsx", HEADER, sheet="Feuil1")
    with pytest.raises(SourceFileError, match=r"sheets: expected exactly one sheet named like"):
        bmo.parse_hiring_projects(tmp_path)


def test_tension_lists(snapshot_dir: Path) -> None:
    parsed = bmo.parse_tension_list(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 399 and len(parsed.rejects) == 0
    counts = rows["region"].value_counts()
    assert counts["Grand Est"] == 25 and counts["France Entière"] == 4
    assert rows["code_fap"].str.fullmatch(r"[A-Z]\d[A-Z]\d{2}").all()


def test_tension_list_missing_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bmo" / bmo.TENSION_FILE
    path.parent.mkdir(parents=True)
    path.write_text("Region,Code FAP\nGrand Est,A0Z40\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="Famille Professionnelle"):
        bmo.parse_tension_list(tmp_path)
