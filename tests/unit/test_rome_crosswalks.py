"""ROME v3 to ISCO-08 parser on the real bundled workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ingestion import rome, rome_crosswalks
from ingestion.errors import SourceFileError


def test_one_row_per_rome_parent_with_text_codes(snapshot_dir: Path) -> None:
    parsed = rome_crosswalks.parse_rome_isco08(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 532
    # the sheet's 361 formatted-but-empty rows (894 rows in all) are set aside, not dropped
    assert len(parsed.rejects) == 361
    assert set(parsed.rejects["reject_reason"]) == {"blank record: no value in any column"}
    assert set(rows["code_rome"]) == set(rome.parse("fiches", snapshot_dir).rows["code_rome_parent"])
    assert rows["code_isco08"].nunique() == 298
    assert str(rows["code_isco08"].dtype) == "string"
    by_rome = rows.set_index("code_rome")
    assert by_rome.loc["M1802", "code_isco08"] == "1330"
    assert by_rome.loc["M1802", "isco08_14si4"] == "25"
    assert by_rome.loc["A1202", ["isco08_14si4", "code_isco08"]].tolist() == ["6113", "6112"]
    # Stored as numbers in the workbook: the armed forces' 0110 lands as published, staging pads it.
    assert by_rome.loc["K1703", "code_isco08"] == "110"
    assert by_rome.loc["K1703", "libelle_codes_isco08"] == "Officiers des forces armées"
    assert by_rome["isco08_14si4"].isna().sum() == 1
    assert (by_rome["isco08_14si4"] != by_rome["code_isco08"]).sum() == 313
    # _row_number is the worksheet row (header on row 1).
    assert rows["_row_number"].iloc[0] == 2
    assert rows["code_rome"].iloc[0] == "A1101"


def _workbook(path: Path, sheet: str, header: list[str]) -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    worksheet.append(["A1101", "Conduite d'engins agricoles et forestiers", 8341, 8341, "Conducteurs"][: len(header)])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def test_workbook_without_the_sheet_is_a_clear_error(tmp_path: Path) -> None:
    _workbook(
        tmp_path / rome_crosswalks.FOLDER / rome_crosswalks.ISCO_FILE,
        "ISCO-08 to ROME",
        ["Code ROME"],
    )
    with pytest.raises(SourceFileError) as error:
        rome_crosswalks.parse_rome_isco08(tmp_path)
    message = str(error.value)
    assert (
        "Correspondance_ROME_ISCO08.xlsx: sheets: expected a sheet named 'ROME to ISCO-08', found sheets ['ISCO-08 to ROME']"
        in message
    )
    assert "found sheets ['ISCO-08 to ROME']" in message


def test_sheet_without_the_isco_column_is_a_clear_error(tmp_path: Path) -> None:
    header = ["Code ROME", "Libellé codes ROME", "ISCO08 14SI4", "Libellé codes ISCO08"]
    _workbook(
        tmp_path / rome_crosswalks.FOLDER / rome_crosswalks.ISCO_FILE,
        rome_crosswalks.ISCO_SHEET,
        header,
    )
    with pytest.raises(SourceFileError, match=r"sheet 'ROME to ISCO-08' row 1: expected columns \['Code ISCO08'\]"):
        rome_crosswalks.parse_rome_isco08(tmp_path)


def test_file_that_is_not_a_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / rome_crosswalks.FOLDER / rome_crosswalks.ISCO_FILE
    path.parent.mkdir(parents=True)
    path.write_text("Code ROME;Code ISCO08\nA1101;8341\n", encoding="utf-8")
    with pytest.raises(
        SourceFileError,
        match=r"Correspondance_ROME_ISCO08\.xlsx: workbook: expected an XLSX workbook",
    ):
        rome_crosswalks.parse_rome_isco08(tmp_path)


def test_a_missing_isco_code_goes_to_quarantine(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / rome_crosswalks.FOLDER / rome_crosswalks.ISCO_FILE,
        rome_crosswalks.ISCO_SHEET,
        [column.source_name for column in rome_crosswalks.ROME_ISCO08],
    )
    workbook = load_workbook(path)
    workbook[rome_crosswalks.ISCO_SHEET].append(["A1201", "Bûcheronnage et élagage", 6210, None, "Exploitants"])
    workbook.save(path)
    parsed = rome_crosswalks.parse_rome_isco08(tmp_path)
    assert parsed.rows["code_rome"].tolist() == ["A1101"]
    assert parsed.rejects["_row_number"].tolist() == ["3"]
    assert parsed.rejects["reject_reason"].tolist() == ["column 'Code ISCO08': expected a value, found nothing"]
