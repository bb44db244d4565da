"""ROME 4.0 parsers on the real bundled referential."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ingestion import rome
from ingestion.errors import SourceFileError


def test_fiches_count_and_parents(snapshot_dir: Path) -> None:
    parsed = rome.parse("fiches", snapshot_dir)
    assert len(parsed.rows) == 1584
    assert parsed.rows["code_rome_parent"].nunique() == 532
    data_engineer = parsed.rows.set_index("code_rome").loc["M1811"]
    assert data_engineer["code_rome_parent"] == "M1802"
    assert (parsed.rows["transition_num"] == "O").sum() == 170
    assert len(parsed.rejects) == 0


def test_items_and_coherence_matrix(snapshot_dir: Path) -> None:
    items = rome.parse("items", snapshot_dir).rows
    assert len(items) == 33850
    assert str(items["code_ogr"].dtype) == "Int64"
    coherence = rome.parse("coherence_items", snapshot_dir).rows
    assert len(coherence) == 104219
    assert coherence["code_rome"].nunique() == 1584
    assert (coherence["coeur_metier"] == "Principale").sum() == 18900


def test_provenance_columns(snapshot_dir: Path) -> None:
    rows = rome.parse("mobility", snapshot_dir).rows
    assert rows["_source_file"].iloc[0] == "unix_rubrique_mobilite_v460_utf8.csv"
    assert rows["_row_number"].tolist()[:3] == [1, 2, 3]
    assert len(rows) == 14912


def _copy_snapshot_file(snapshot_dir: Path, tmp_path: Path, name: str) -> Path:
    target = tmp_path / rome.FOLDER
    target.mkdir(parents=True)
    source = next((snapshot_dir / rome.FOLDER).glob(name + "*"))
    shutil.copy(source, target / source.name)
    return target / source.name


def test_missing_column_names_file_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / rome.FOLDER / "unix_referentiel_code_rome_v460_utf8.csv"
    path.parent.mkdir(parents=True)
    path.write_text('"code_rome","libelle"\n"A1101","x"\n', encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        rome.parse("fiches", tmp_path)
    message = str(error.value)
    assert "unix_referentiel_code_rome_v460_utf8.csv" in message
    assert "header" in message and "code_rome_parent" in message


def test_bad_value_goes_to_quarantine_with_reason(snapshot_dir: Path, tmp_path: Path) -> None:
    copied = _copy_snapshot_file(snapshot_dir, tmp_path, "unix_item_v460_utf8.csv")
    text = gzip.decompress(copied.read_bytes()).decode("utf-8")
    lines = text.splitlines()
    lines[5] = '"not-a-number","Abattre un arbre","1"'
    copied.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    parsed = rome.parse("items", tmp_path)
    assert len(parsed.rows) == 33849
    assert len(parsed.rejects) == 1
    reject = parsed.rejects.iloc[0]
    assert reject["_row_number"] == "5"
    assert reject["reject_reason"] == "column 'code_ogr': expected an integer, found 'not-a-number'"
    assert parsed.rows_accounted == 33850


def test_corrupt_gzip_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / rome.FOLDER / "unix_item_v460_utf8.csv.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(SourceFileError, match="unix_item_v460_utf8.csv.gz: gzip stream: expected a valid gzip file"):
        rome.parse("items", tmp_path)
