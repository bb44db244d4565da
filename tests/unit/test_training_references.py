"""Nomenclature parsers: Onisep, Formacode, NSF, BCN, on the real bundled files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ingestion import bcn, formacode, nsf, onisep
from ingestion.errors import SourceFileError


def test_onisep_formations(snapshot_dir: Path) -> None:
    parsed = onisep.parse_formations(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 6086 and len(parsed.rejects) == 0
    assert rows["code_rncp"].notna().sum() == 2993
    assert rows["code_rncp"].nunique() == 2691
    assert rows.iloc[0]["libelle_formation_principal"] == "Chargé d'accompagnement social et professionnel"
    assert rows.iloc[0]["code_rncp"] == "7426"


def test_onisep_metier_rome(snapshot_dir: Path) -> None:
    rows = onisep.parse_metier_rome(snapshot_dir).rows
    assert len(rows) == 963
    assert rows["code_rome"].nunique() == 521
    assert rows["lien_site_onisep_fr"].nunique() == 814
    assert rows.iloc[0][["code_rome", "libelle_metier_onisep"]].tolist() == [
        "A1101",
        "conducteur / conductrice de machines agricoles",
    ]


def test_formacode_tables(snapshot_dir: Path) -> None:
    v12_v13 = formacode.parse_v12_v13(snapshot_dir).rows
    assert len(v12_v13) == 3404
    assert v12_v13["code_v13"].nunique() == 3385
    assert v12_v13["statut"].value_counts().to_dict() == {"N": 3296, "R": 61, "C": 40, "S": 7}
    assert v12_v13["code_v13"].dropna().str.fullmatch(r"\d{5}").all()
    rome = formacode.parse_rome_formacode(snapshot_dir).rows
    assert len(rome) == 56 and rome["code_rome_v3"].nunique() == 9 and rome["formacode"].nunique() == 55


def test_nsf_and_bcn(snapshot_dir: Path) -> None:
    groups = nsf.parse_groupes(snapshot_dir).rows
    assert len(groups) == 92
    assert groups.iloc[0][["codformation", "libformation"]].tolist() == ["100", "Formations générales"]
    diplomas = bcn.parse_formation_diplome(snapshot_dir)
    assert len(diplomas.rows) == 3923 and len(diplomas.rejects) == 0
    assert (diplomas.rows["formation_diplome"].str.len() == 8).all()
    assert diplomas.rows["groupe_specialite"].isin(groups["codformation"]).sum() == 3535


def test_formacode_wrong_column_count_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / formacode.FOLDER / formacode.V12_V13_FILE
    path.parent.mkdir()
    path.write_text(
        '"N"\t"00112"\t"INFO"\t"00112"\t"SANTE"\t"1"\r\n"N"\t"11001"\t"x"\t"y"\t"z"\t"1"\t"extra"\t"more"\r\n'
    )
    with pytest.raises(
        SourceFileError, match="formacode_V12_V13_correspondance.tsv: CSV structure: expected '\\\\t'-separated text"
    ):
        formacode.parse_v12_v13(tmp_path)


def test_onisep_and_bcn_headers_are_checked(snapshot_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / onisep.FOLDER
    folder.mkdir()
    (folder / onisep.METIER_ROME_FILE).write_text('"ROME";"métier"\n"A1101";"x"\n')
    with pytest.raises(SourceFileError, match=r"onisep_metier_rome_v3.csv: header: expected columns \['Code ROME'"):
        onisep.parse_metier_rome(tmp_path)
    (tmp_path / bcn.FOLDER).mkdir()
    text = gzip.decompress((snapshot_dir / bcn.FOLDER / f"{bcn.FILE}.gz").read_bytes()).decode()
    (tmp_path / bcn.FOLDER / bcn.FILE).write_text(text.replace("FORMATION_DIPLOME;", "FORMATION;", 1)[:20000])
    with pytest.raises(SourceFileError, match=r"header: expected columns \['FORMATION_DIPLOME'\]"):
        bcn.parse_formation_diplome(tmp_path)


def test_nsf_in_an_undecodable_encoding_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / nsf.FOLDER / nsf.FILE
    path.parent.mkdir()
    path.write_bytes("codformation,libformation\n100,Formations g\u00e9n\u00e9rales\n".encode("cp1252") + b"\x81\n")
    with pytest.raises(SourceFileError, match="byte 0x81, undefined in cp1252"):
        nsf.parse_groupes(tmp_path)
