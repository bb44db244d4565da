"""ESCO parsers on the real bundled French export."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ingestion import esco
from ingestion.errors import SourceFileError

EXPECTED_COUNTS = {
    "occupations": 2942,
    "skills": 13485,
    "isco_groups": 619,
    "skill_groups": 17,
    "occupation_hierarchy": 3551,
    "skill_hierarchy": 7161,
}


@pytest.mark.parametrize(("table", "expected"), EXPECTED_COUNTS.items())
def test_every_table_lands_all_its_records(snapshot_dir: Path, table: str, expected: int) -> None:
    parsed = esco.parse(table, snapshot_dir)
    assert len(parsed.rows) == expected
    assert len(parsed.rejects) == 0
    assert parsed.rows["concept_uri"].str.startswith("http://data.europa.eu/esco/").all()


def test_alt_labels_stay_one_cell_with_lf_separators(snapshot_dir: Path) -> None:
    rows = esco.parse("occupations", snapshot_dir).rows.set_index("concept_uri")
    technical_director = rows.loc["http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34"]
    assert technical_director["preferred_label"] == "directeur technique/directrice technique"
    assert technical_director["isco_group"] == "2166"
    assert technical_director["alt_labels"].split("\n") == [
        "régisseuse",
        "régisseur",
        "directrice technique",
        "régisseur/régisseuse",
        "directeur technique",
    ]
    # Records end in CRLF; no carriage return may leak into a label.
    assert not rows["alt_labels"].str.contains("\r", regex=False).any()
    assert rows["alt_labels"].notna().sum() == 2631
    assert rows["alt_labels"].str.contains("\n", regex=False).sum() == 2561


def test_skill_types_and_isco_codes_stay_text(snapshot_dir: Path) -> None:
    skills = esco.parse("skills", snapshot_dir).rows
    assert skills["skill_type"].value_counts().to_dict() == {
        "skill/competence": 10582,
        "knowledge": 2902,
        "skill/competence knowledge": 1,
    }
    assert (skills["reuse_level"] == "transversal").sum() == 453
    groups = esco.parse("isco_groups", snapshot_dir).rows.set_index("code")
    assert groups.loc["0110", "preferred_label"] == "Officiers des forces armées"
    assert groups.index.str.len().value_counts().to_dict() == {4: 436, 3: 130, 2: 43, 1: 10}


def test_unterminated_quote_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / esco.FOLDER
    target.mkdir()
    source = snapshot_dir / esco.FOLDER / "occupations_fr.csv.gz"
    text = gzip.decompress(source.read_bytes()).decode("utf-8")
    # Cut the file inside the quoted altLabels cell of the first record.
    broken = text[: text.index('"régisseuse') + 20]
    (target / "occupations_fr.csv.gz").write_bytes(gzip.compress(broken.encode("utf-8")))
    with pytest.raises(SourceFileError, match=r"occupations_fr\.csv\.gz: CSV structure"):
        esco.parse("occupations", tmp_path)


def test_missing_column_names_the_file_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / esco.FOLDER
    target.mkdir()
    shutil.copy(snapshot_dir / esco.FOLDER / "skillGroups_fr.csv", target / "skillGroups_fr.csv")
    path = target / "skillGroups_fr.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("preferredLabel", "label", 1), encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        esco.parse("skill_groups", tmp_path)
    assert "skillGroups_fr.csv: header" in str(error.value)
    assert "preferredLabel" in str(error.value)
