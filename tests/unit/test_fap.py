"""DARES FAP parsers on the real bundled files: the SAS passage, FAP2009 labels, FAP2021."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingestion import fap, rome
from ingestion.errors import SourceFileError


def test_passage_covers_every_rome_parent(snapshot_dir: Path) -> None:
    parsed = fap.parse_passage(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 2341
    assert len(parsed.rejects) == 0
    assert parsed.encodings == {"passage_fap2009_romev3.txt": "cp1252"}
    assert parsed.notes["defaults"] == {"$FAP9RSQ": "ZZZZZ", "$FAP9RAQ": "ZZZZZ"}
    without = set(rows.loc[rows["format_name"] == "$FAP9RSQ", "code_rome_v3"])
    with_qualification = set(rows.loc[rows["format_name"] == "$FAP9RAQ", "code_rome_v3"])
    assert (len(without), len(with_qualification)) == (331, 201)
    assert not without & with_qualification
    parents = set(rome.parse("fiches", snapshot_dir).rows["code_rome_parent"])
    assert len(parents) == 532
    assert without | with_qualification == parents
    # Each qualified code lists the 10 qualification codes and reaches 2 or 3 families.
    qualified = rows[rows["format_name"] == "$FAP9RAQ"]
    assert qualified.groupby("code_rome_v3")["qualification"].nunique().eq(10).all()
    assert qualified.groupby("code_rome_v3")["fap2009_code"].nunique().value_counts().to_dict() == {
        2: 184,
        3: 17,
    }
    assert (rows["fap2009_code"] != fap.QUALIFICATION_NEEDED).all()


def test_passage_known_mappings_and_line_numbers(snapshot_dir: Path) -> None:
    rows = fap.parse_passage(snapshot_dir).rows.set_index("source_key")
    assert rows.loc["A1101", "fap2009_code"] == "A0Z43"
    assert rows.loc["A1101", "_row_number"] == 31
    assert rows.loc["M1802", "fap2009_code"] == "M2Z90"
    assert rows.loc["M1802", "_row_number"] == 88
    exploitant = rows.loc["A14160"]
    assert (
        exploitant["code_rome_v3"],
        exploitant["qualification"],
        exploitant["fap2009_code"],
    ) == ("A1416", "0", "A0Z40")
    assert exploitant["format_name"] == "$FAP9RAQ"
    assert rows.loc["A14169", "fap2009_code"] == "A2Z70"
    assert rows["qualification"].isna()["A1101"]


def _broken_passage(snapshot_dir: Path, tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / fap.FOLDER
    target.mkdir()
    path = target / fap.PASSAGE_FILE
    shutil.copy(snapshot_dir / fap.FOLDER / fap.PASSAGE_FILE, path)
    text = path.read_bytes().decode("cp1252")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("cp1252"))
    return path


def test_a_line_that_does_not_parse_names_the_line(snapshot_dir: Path, tmp_path: Path) -> None:
    # Line 31: a missing "=" between the key and the family.
    _broken_passage(
        snapshot_dir,
        tmp_path,
        '"A1101"                                                         =\t"A0Z43"',
        '"A1101" "A0Z43"',
    )
    with pytest.raises(SourceFileError) as error:
        fap.parse_passage(tmp_path)
    message = str(error.value)
    assert "passage_fap2009_romev3.txt: line 31: expected a SAS proc format statement" in message
    assert '"A1101" "A0Z43"' in message


def test_an_unterminated_value_statement_is_an_error(snapshot_dir: Path, tmp_path: Path) -> None:
    # Without the ';' after Other, "run;" on line 170 falls inside the $FAP9RSQ statement.
    _broken_passage(
        snapshot_dir,
        tmp_path,
        ' Other                                                          ="ZZZZZ"; ',
        ' Other ="ZZZZZ"',
    )
    with pytest.raises(
        SourceFileError,
        match=r"line 170: expected the end \(;\) of value statement \$FAP9RSQ opened on line 28",
    ):
        fap.parse_passage(tmp_path)


def test_a_malformed_key_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    _broken_passage(snapshot_dir, tmp_path, '"A1101"      ', '"A11O1"      ')
    parsed = fap.parse_passage(tmp_path)
    assert len(parsed.rows) == 2340
    assert parsed.rows_accounted == 2341
    reject = parsed.rejects.iloc[0]
    assert reject["_row_number"] == "31"
    assert reject["reject_reason"] == "column 'source_key': expected a ROME v3 code (A1101), found 'A11O1'"


def test_fap2009_labels_csv_and_sas_formats_agree(snapshot_dir: Path) -> None:
    csv = fap.parse_fap2009_labels(snapshot_dir)
    assert csv.encodings == {"Intitules_FAP2009.csv": "utf-8"}
    labels = csv.rows.set_index("code_fap_detaillees")
    assert len(labels) == 225
    assert labels.loc["A0Z40", "fap_detaillees"] == "Agriculteurs salariés"
    assert labels.loc["M2Z90", "code_fap_agregees"] == "M2Z"
    assert labels["code_domaines_professionnels"].nunique() == 22
    sas = fap.parse_format_labels(snapshot_dir)
    assert sas.encodings == {"intitule_fap2009.txt": "cp1252"}
    formats = sas.rows
    assert formats["format_name"].value_counts().to_dict() == {
        "$FAP9_5L": 225,
        "$FAP9_3L": 87,
        "$FAP9_1L": 22,
        "$FAP9_GL": 4,
        "$FAP9_0L": 1,
    }
    detailed = formats[formats["format_name"] == "$FAP9_5L"].set_index("fap2009_code")["label"]
    assert detailed.to_dict() == labels["fap_detaillees"].to_dict()
    groups = formats[formats["format_name"] == "$FAP9_GL"].set_index("fap2009_code")["formatted_value"]
    assert sorted(groups.index) == ["AGR", "BTP", "IND", "TER"]
    assert groups["BTP"].startswith("BTP : Bâtiment, travaux publics")


def test_fap2021_nomenclature(snapshot_dir: Path) -> None:
    rows = fap.parse_fap2021(snapshot_dir).rows
    assert len(rows) == 341
    assert rows["code_fap_228"].nunique() == 228
    assert rows["code_fap_22"].nunique() == 22
    first = rows.iloc[0]
    assert (first["code_fap_341"], first["intitule_fap_341"], first["code_fap_86"]) == (
        "A0X40",
        "Agriculteurs",
        "A0X",
    )


def test_labels_csv_without_its_header_column_is_an_error(snapshot_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / fap.FOLDER
    target.mkdir()
    text = (snapshot_dir / fap.FOLDER / "Intitules_FAP2009.csv").read_text(encoding="utf-8-sig")
    (target / "Intitules_FAP2009.csv").write_text(text.replace("Code FAP agrégées;", "", 1), encoding="utf-8")
    with pytest.raises(
        SourceFileError,
        match=r"Intitules_FAP2009\.csv: header: expected columns \['Code FAP agrégées'\]",
    ):
        fap.parse_fap2009_labels(tmp_path)
