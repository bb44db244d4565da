"""Encodings are decided per file with evidence; a file that is neither UTF-8 nor cp1252 is an error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import dares, geography, lheo
from ingestion.accounting import parse_counted
from ingestion.catalog import by_key
from ingestion.errors import SourceFileError
from ingestion.landing import land, read_manifest
from ingestion.readers.files import decode

REGIONS = Path("geo_cog") / "v_region_2024.csv"  # UTF-8, "La Réunion", "Provence-Alpes-Côte d'Azur"


def _copy(snapshot_dir: Path, tmp_path: Path, relative: Path, data: bytes) -> Path:
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return tmp_path


def test_a_cp1252_file_is_decided_by_the_detector_and_the_evidence_lands_in_the_manifest(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    decoded = decode(snapshot_dir / "dares_portraits" / "FAP_PCS.csv")
    assert decoded.encoding == "cp1252"
    assert decoded.evidence == (
        "UTF-8 failed at byte offset 73 (byte 0xE9), no UTF-8 multi-byte sequence; charset-normalizer: cp1252, chaos 0.000"
    )
    assert "petite exploitation de céréales-grandes cultures" in decoded.text
    parsed = parse_counted(by_key()[("dares", "fap_to_pcs")], snapshot_dir)
    land(tmp_path, "dares", "fap_to_pcs", parsed, partition="snapshot", origin="test")
    manifest = read_manifest(tmp_path / "raw" / "dares" / "fap_to_pcs" / "snapshot")
    assert manifest["source_files"][0]["encoding"] == "cp1252"
    assert manifest["source_files"][0]["encoding_evidence"].startswith("cp1252: UTF-8 failed at byte offset 73")


def test_a_utf8_file_with_one_stray_cp1252_byte_is_an_error_naming_file_and_offset(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    original = (snapshot_dir / REGIONS).read_bytes()
    damaged = original.replace("La Réunion".encode(), "La R\xe9union".encode("cp1252"), 1)
    copy = _copy(snapshot_dir, tmp_path, REGIONS, damaged)
    with pytest.raises(SourceFileError) as raised:
        geography.parse("regions", copy)
    assert str(raised.value) == (
        f"{copy / REGIONS}: byte offset 244 (line 5): expected UTF-8 text throughout, found byte 0xE9, "
        "invalid in UTF-8, in a file that also holds 9 valid UTF-8 multi-byte sequences: UTF-8 with "
        "stray bytes of another encoding"
    )


def test_latin1_text_is_read_as_cp1252_and_gives_the_same_rows(snapshot_dir: Path, tmp_path: Path) -> None:
    text = (snapshot_dir / REGIONS).read_text(encoding="utf-8")
    copy = _copy(snapshot_dir, tmp_path, REGIONS, text.encode("cp1252"))
    parsed = geography.parse("regions", copy)
    reference = geography.parse("regions", snapshot_dir)
    assert parsed.encodings == {"v_region_2024.csv": "cp1252"}
    assert parsed.rows.drop(columns="_source_file").equals(reference.rows.drop(columns="_source_file"))
    assert "La Réunion" in parsed.rows["libelle"].tolist()


def test_a_byte_order_mark_is_evidence_of_utf8_and_never_reaches_a_header(snapshot_dir: Path, tmp_path: Path) -> None:
    copy = _copy(snapshot_dir, tmp_path, REGIONS, b"\xef\xbb\xbf" + (snapshot_dir / REGIONS).read_bytes())
    assert decode(copy / REGIONS).evidence == "byte-order mark EF BB BF"
    parsed = geography.parse("regions", copy)
    assert len(parsed.rows) == 18 and parsed.rows["reg"].iloc[0] == "01"


def test_a_file_that_is_neither_utf8_nor_cp1252_names_the_byte_offset(snapshot_dir: Path, tmp_path: Path) -> None:
    original = (snapshot_dir / "dares_portraits" / "FAP_PCS.csv").read_bytes()
    copy = _copy(
        snapshot_dir, tmp_path, Path("dares_portraits") / "FAP_PCS.csv", original[:100] + b"\x81" + original[100:]
    )
    with pytest.raises(
        SourceFileError,
        match=r"FAP_PCS.csv: byte offset 100: expected UTF-8 or cp1252 .*byte 0x81, undefined in cp1252",
    ):
        dares.parse("fap_to_pcs", copy)


def test_an_lheo_file_in_latin1_that_declares_utf8_is_an_error_naming_line_and_column(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    name = "lheo22_offre_full_formation_sample_trefle.xml"
    shutil.copytree(snapshot_dir / "formation_samples", tmp_path / "formation_samples")
    text = (snapshot_dir / "formation_samples" / name).read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')  # the claim stays, the bytes are cp1252
    (tmp_path / "formation_samples" / name).write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(SourceFileError, match=rf"{name}: line \d+, column \d+: expected well-formed XML"):
        lheo.parse_formations(tmp_path)
