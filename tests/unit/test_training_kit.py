"""France compétences Kit apprentissage parsers (v1.4 CSV tables, 2025 XLSX), on the real files."""

from __future__ import annotations

import gzip
from pathlib import Path

import openpyxl
import pytest

from ingestion import kit_apprentissage as kit
from ingestion.errors import SourceFileError


def test_rncp_rome(snapshot_dir: Path) -> None:
    parsed = kit.parse_v14("rncp_rome", snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 45165 and len(parsed.rejects) == 0
    assert rows["code_rncp"].nunique() == 16191
    assert rows["code_rome"].nunique() == 625
    assert parsed.encodings["rncp_rome.v1.4.csv.gz"] == "cp1252"
    assert rows.iloc[0][["code_rncp", "code_rome"]].tolist() == ["RNCP34001", "A1101"]
    assert (rows["code_rome"].str.len() == 5).sum() == 44991


def test_rncp_info_keeps_lost_accents_and_multiline_titles(snapshot_dir: Path) -> None:
    parsed = kit.parse_v14("rncp_info", snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 17470 and rows["code_rncp"].nunique() == 17369
    assert (rows["active_inactive"] == "INACTIVE").sum() == 12928
    first = rows.iloc[0]
    assert first["intitule_diplome"] == "M\ufffdtiers de la pierre"
    assert str(first["date_fin_validite_enregistrement"]) == "2016-08-31"
    assert rows["intitule_diplome"].str.contains("\n").any()


def test_codes_diplomes_and_blocks(snapshot_dir: Path) -> None:
    diplomas = kit.parse_v14("codes_diplomes", snapshot_dir).rows
    assert len(diplomas) == 4904
    assert (diplomas["code_diplome"].str.len() == 7).sum() == 54  # lost zero, padded in staging
    blocks = kit.parse_v14("rncp_blocs_competences", snapshot_dir).rows
    assert len(blocks) == 16455 and blocks["code_rncp"].nunique() == 3263
    assert blocks.iloc[0]["numero_bloc"] == "RNCP10013BC01"
    # cp1252 bytes 0x92 and 0x9C decode to ’ and œ (ISO-8859-1 would give control characters).
    assert blocks["intitule"].str.count("’").sum() == 4726
    assert blocks["intitule"].str.count("œ").sum() == 683


def test_kit_2025_keeps_cfd_as_text(snapshot_dir: Path) -> None:
    parsed = kit.TABLES[-1].parse(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 6822 and len(parsed.rejects) == 0
    assert rows["code_diplome"].nunique() == 5953
    assert rows["fiche_rncp"].nunique() == 4588
    first = rows.iloc[0]
    assert (first["code_diplome"], first["fiche_rncp"], first["_row_number"]) == ("01022001", "RNCP955", 3)
    assert (rows["code_diplome"].str.len() == 8).all()
    assert (rows["fiche_active_inactive"] == "ACTIVE").sum() == 3419


def test_v14_wrong_separator_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    text = gzip.decompress((snapshot_dir / kit.V14_FOLDER / "rncp_rome.v1.4.csv.gz").read_bytes()).decode("cp1252")
    target = tmp_path / kit.V14_FOLDER / "rncp_rome.v1.4.csv"
    target.parent.mkdir()
    target.write_text(text.replace(";", ",")[:5000], encoding="cp1252")
    with pytest.raises(
        SourceFileError, match=r"rncp_rome.v1.4.csv: header: expected columns \['CodeRNCP', 'EtatFiche'"
    ):
        kit.parse_v14("rncp_rome", tmp_path)


def test_kit_2025_without_its_sheet_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / kit.KIT_2025_FILE
    workbook = openpyxl.Workbook()
    workbook.active.title = "Feuil1"
    workbook.save(path)
    with pytest.raises(
        SourceFileError, match="sheets: expected a sheet named 'Kit Apprentissage', found sheets \\['Feuil1'\\]"
    ):
        kit.parse_kit_2025(path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceFileError, match="workbook: expected an XLSX workbook"):
        kit.parse_kit_2025(path)
