"""LHEO 2.2 XML parsers (full offers and resumes-offres) on the real Carif-Oref / Intercarif samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import lheo
from ingestion.errors import SourceFileError

FULL = "lheo22_offre_full_formation_sample_trefle.xml"
SUMMARIES = "intercarif_lheo_resumes_offres_sample.xml"


def test_full_offer_formation(snapshot_dir: Path) -> None:
    parsed = lheo.parse_formations(snapshot_dir)
    assert [path.name for path in parsed.files] == [FULL]
    formation = parsed.rows.iloc[0]
    assert len(parsed.rows) == 1
    assert formation["formation_numero"] == "07_10"
    assert formation["intitule_formation"] == "Titre professionnel plaquiste"
    assert (formation["code_rncp"], formation["code_certifinfo"]) == ("320", "80735")
    assert formation["organisme_siret"] == "82422814200660"
    assert bool(formation["certifiante"])


def test_full_offer_actions_sessions_codes(snapshot_dir: Path) -> None:
    actions = lheo.parse_actions(snapshot_dir).rows
    assert actions["action_numero"].tolist() == ["07_114782", "07_123324"]
    second = actions.iloc[1]
    assert (second["lieu_code_insee_commune"], second["lieu_departement"]) == ("37266", "37")
    assert second["lieu_latitude"] == pytest.approx(47.306826)
    assert (second["nombre_heures_centre"], second["nombre_heures_entreprise"], second["nombre_heures_total"]) == (
        585,
        112,
        697,
    )
    sessions = lheo.parse_sessions(snapshot_dir).rows
    assert sessions[["periode_debut", "periode_fin"]].values.tolist() == [
        ["20171204", "20180601"],
        ["20171030", "20180601"],
    ]
    codes = lheo.parse_formation_codes(snapshot_dir).rows
    assert codes[["code_type", "code", "ref", "tag"]].fillna("").values.tolist() == [
        ["FORMACODE", "22403", "V12", "principal"],
        ["FORMACODE", "22402", "V12", ""],
        ["NSF", "233", "", ""],
        ["ROME", "F1604", "", ""],
    ]


def test_summaries_from_both_index_files(snapshot_dir: Path) -> None:
    parsed = lheo.parse_summaries(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 11 and rows["resume_numero"].is_unique
    first = rows.iloc[0]
    assert first["resume_numero"] == "14_AF_0000011179_SE_0000093700"
    assert (first["code_insee_commune"], first["code_rncp"], first["code_niveau_sortie"]) == ("75117", "25730", "7")
    assert (first["latitude"], first["longitude"]) == (pytest.approx(48.897144), pytest.approx(2.320914))
    assert rows.iloc[1]["periode_debut"] == "20170900"  # a month only: resolved in staging
    assert rows.iloc[1]["intitule_formation"] == "Titre professionnel d'accompagnateur(trice) de tourisme"
    codes = lheo.parse_summary_codes(snapshot_dir).rows
    assert len(codes) == 81
    first_romes = codes[(codes["offer_numero"] == first["resume_numero"]) & (codes["code_type"] == "ROME")]
    assert first_romes["code"].tolist() == ["G1102", "G1201"]


def _copy_folder(snapshot_dir: Path, tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / lheo.FOLDER
    folder.mkdir()
    for name in names:
        shutil.copy(snapshot_dir / lheo.FOLDER / name, folder / name)
    return folder


def test_truncated_xml_names_line_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    folder = _copy_folder(snapshot_dir, tmp_path, [FULL])
    text = (folder / FULL).read_text(encoding="utf-8")
    (folder / FULL).write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceFileError, match=rf"{FULL}: line \d+, column \d+: expected well-formed XML"):
        lheo.parse_actions(tmp_path)


def test_xml_without_lheo_namespace_is_rejected(tmp_path: Path) -> None:
    folder = tmp_path / lheo.FOLDER
    folder.mkdir()
    (folder / "offers.xml").write_text("<lheo><offres><formation numero='1'/></offres></lheo>")
    with pytest.raises(SourceFileError, match="root element: expected an element in the LHEO namespace"):
        lheo.parse_formations(tmp_path)


def test_index_without_summaries_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / lheo.FOLDER
    folder.mkdir()
    (folder / "empty.xml").write_text('<lheo-index xmlns="http://www.lheo.org/2.2"><resumes-offres/></lheo-index>')
    with pytest.raises(
        SourceFileError, match="lheo-index/resumes-offres: expected at least one <resume-offre> element"
    ):
        lheo.parse_summaries(tmp_path)
