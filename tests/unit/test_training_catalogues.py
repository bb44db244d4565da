"""Enriched apprenticeship catalogue (JSON with rome_codes) and CPF sample parsers, on the real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion import catalogue_apprentissage as catalogue
from ingestion import cpf
from ingestion.errors import SourceFileError


def test_enriched_catalogue_formations_and_rome_codes(snapshot_dir: Path) -> None:
    formations = catalogue.parse_formations(snapshot_dir).rows
    assert len(formations) == 2
    by_title = formations.set_index("intitule_long")
    assert by_title.loc["CONSEILLER TECHNIQUE CYCLES (ANFA)", "rome_codes"] == "D1211;I1607"
    assert by_title.loc["TRAVAUX PUBLICS (BTS)", "code_commune_insee"] == "47065"
    assert "etablissement_formateur_courriel" not in formations.columns
    codes = catalogue.parse_rome_codes(snapshot_dir).rows
    assert codes.groupby("formation_id")["rome_code"].apply(list).to_dict() == {
        "5fc616c5712d48a988133fa7": ["D1211", "I1607"],
        "5fc61896712d48a988137bf9": ["F1106", "F1108", "F1201", "F1202"],
    }


def test_enriched_catalogue_wrong_shape_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / catalogue.FOLDER / "catalogue_apprentissage_formations_page1.json"
    path.parent.mkdir()
    path.write_text(json.dumps([{"id": "x"}]))
    with pytest.raises(SourceFileError, match="top level: expected an object with a 'formations' array, found list"):
        catalogue.parse_formations(tmp_path)
    path.write_text(json.dumps({"formations": [{"id": "x"}, "oops"]}))
    with pytest.raises(SourceFileError, match=r"formations\[1\]: expected a JSON object, found str"):
        catalogue.parse_formations(tmp_path)


def test_cpf_sample(snapshot_dir: Path) -> None:
    parsed = cpf.parse_sample(snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 22 and len(parsed.rejects) == 0
    assert rows["formation_title"].nunique() == 8
    assert rows["formation_proximite_romes_code"].isna().sum() == 1
    assert rows.iloc[0][["formation_title", "duration", "total_price_ttc", "address_postal_code"]].tolist() == [
        "Gestion d'une entreprise forestière",
        150,
        1428.0,
        "65500",
    ]
    assert rows["formation_specific_condition"].str.contains("\n").any()  # quoted multi-line cell


def test_cpf_bad_number_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / cpf.FOLDER / cpf.FILE
    path.parent.mkdir()
    text = (snapshot_dir / cpf.FOLDER / cpf.FILE).read_text(encoding="utf-8")
    path.write_text(text.replace(",150,1428.0,", ",cent cinquante,1428.0,", 1), encoding="utf-8")
    parsed = cpf.parse_sample(tmp_path)
    assert (len(parsed.rows), len(parsed.rejects)) == (21, 1)
    assert parsed.rejects.iloc[0]["reject_reason"] == "column 'duration': expected an integer, found 'cent cinquante'"
