"""France Travail offers: the real bundled API-format files, personal data removal, bad files."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ingestion import france_travail
from ingestion.errors import SourceFileError

K23 = "DERIVED_nocontact_offres_K23_nettoyage_521_2024-11-28.json"
M1801 = "DERIVED_nocontact_offres_M1801_database_admin_980_2025-01-12.json"
BIOSTAT = "DERIVED_nocontact_vimchun_offres_404939_biostatisticien_178_2024-11-30.json"
NATIONAL = "DERIVED_nocontact_francetravail_2026.json"
PSV = "DERIVED_nocontact_mounaTay_offres_emploi_ardeche07_150.psv.gz"

# Written independently of the parser's patterns: anything that still looks like an address or a
# French number after ingestion is a leak.
LOOKS_LIKE_EMAIL = re.compile(r"\S+@\S+\.[a-z]{2,}", re.IGNORECASE)
LOOKS_LIKE_PHONE = re.compile(r"(?:\+33|0033|\b0)\s*[1-9](?:[ .-]*\d\d){4}\b")


@pytest.fixture(scope="module")
def offers(snapshot_dir: Path) -> pd.DataFrame:
    parsed = france_travail.parse_job_offers(snapshot_dir)
    assert len(parsed.rejects) == 0
    return parsed.rows


def _text_cells(frame: pd.DataFrame) -> pd.Series:
    text_columns = [c for c in frame.columns if str(frame[c].dtype) in ("string", "str", "object")]
    return frame[text_columns].astype("string").stack().dropna()


def test_counts_per_file(offers: pd.DataFrame) -> None:
    per_file = offers["_source_file"].value_counts().to_dict()
    assert per_file == {M1801: 930, K23: 471, BIOSTAT: 178, NATIONAL: 150, PSV: 150}
    json_offers = offers[offers["_source_file"] != PSV]
    assert len(json_offers) == 1729
    assert offers.groupby("_source_file")["offer_id"].nunique().to_dict() == per_file


def test_competences_present_per_file_as_documented(offers: pd.DataFrame) -> None:
    # Offers whose competences list is non-empty, counted by hand in each bundled file.
    non_empty = offers[offers["competences_json"].fillna("[]") != "[]"]
    assert non_empty["_source_file"].value_counts().to_dict() == {
        M1801: 71,
        K23: 139,
        BIOSTAT: 37,
        NATIONAL: 106,
        PSV: 112,
    }


def test_competence_items_and_free_text_entries(offers: pd.DataFrame) -> None:
    # Counted by hand: 1,610 items in the JSON files, 103 without a code; 561 / 28 in the psv.
    items = offers.dropna(subset=["competences_json"]).copy()
    items["item"] = items["competences_json"].map(json.loads)
    items = items.explode("item")
    items["has_code"] = items["item"].map(lambda item: bool(item.get("code")))
    is_psv = items["_source_file"] == PSV
    assert (len(items[~is_psv]), int((~items.loc[~is_psv, "has_code"]).sum())) == (1610, 103)
    assert (len(items[is_psv]), int((~items.loc[is_psv, "has_code"]).sum())) == (561, 28)
    requirement = items["item"].map(lambda item: item.get("exigence"))[~is_psv].value_counts().to_dict()
    assert requirement == {"E": 315, "S": 1295}


def test_known_offer_values(offers: pd.DataFrame) -> None:
    offer = offers.set_index("offer_id").loc["184NQNL"]
    assert offer["intitule"] == "Technicien Applicateur Hygièniste 3D (H/F)"
    assert offer["date_creation"] == pd.Timestamp("2024-11-25T00:39:42.728Z")
    assert str(offer["date_creation"].tz) == "UTC"
    assert (offer["rome_code"], offer["type_contrat"], offer["experience_exige"]) == ("K2305", "CDI", "D")
    assert offer["lieu_travail_libelle"] == "971 - LE GOSIER"
    assert (offer["lieu_travail_commune"], offer["lieu_travail_code_postal"]) == ("97113", "97190")
    assert offer["lieu_travail_latitude"] == pytest.approx(16.229731)
    assert offer["nombre_postes"] == 2 and not offer["alternance"] and not offer["accessible_th"]
    assert (offer["entreprise_nom"], offer["code_naf"]) == ("STOPNUISIBLES DOM", "81.29A")
    assert offer["salaire_libelle"] == "Mensuel de 1820.0 Euros sur 12.0 mois"
    competences = json.loads(offer["competences_json"])
    assert [item["code"] for item in competences] == ["117070", "108757", "124334", "125493", "123028"]
    assert json.loads(offer["permis_json"]) == [{"libelle": "B - Véhicule léger", "exigence": "E"}]


def test_psv_offer_matches_its_api_shape(offers: pd.DataFrame) -> None:
    offer = offers.set_index("offer_id").loc["193FKBM"]
    assert offer["_source_file"] == PSV
    assert offer["lieu_travail_libelle"] == "07 - ST DIDIER SOUS AUBENAS"
    assert (offer["lieu_travail_commune"], offer["code_naf"], offer["rome_code"]) == ("07229", "47.64Z", "D1214")
    assert not offer["alternance"] and offer["experience_exige"] == "E"
    competences = json.loads(offer["competences_json"])
    assert competences[0] == {"code": "100341", "libelle": "Procédures d'encaissement", "exigence": "S"}
    assert json.loads(offer["contexte_travail_horaires_json"]) == ["35H Travail en journée"]
    psv = offers[offers["_source_file"] == PSV]
    assert psv["lieu_travail_commune"].str.startswith("07").all()
    assert psv["date_creation"].min() >= pd.Timestamp("2024-12-09", tz="UTC")


def test_no_personal_block_or_pattern_lands(offers: pd.DataFrame) -> None:
    assert not [c for c in offers.columns if "contact" in c or "agence" in c or "courriel" in c]
    cells = _text_cells(offers)
    assert not cells.str.contains(LOOKS_LIKE_EMAIL).any()
    assert not cells.str.contains(LOOKS_LIKE_PHONE).any()
    # The bundled copies were scrubbed once already: the markers survive, nothing else is touched.
    k23 = offers[offers["_source_file"] == K23]
    assert int(k23["description"].str.count(r"\[email\]").sum()) == 13
    assert int(k23["description"].str.count(r"\[tel\]").sum()) == 6


EMAILS = ["rh.recrutement@mairie-exemple.fr", "j.dupont@cc-pays.fr", "candidature+k23@net-pro.com"]
PHONES = [
    "03 88 12 34 56",
    "06.12.34.56.78",
    "0612345678",
    "+33 6 12 34 56 78",
    "+33 (0)3 88 12 34 56",
    "06-12-34-56-78",
]


def test_scrubbing_on_the_real_k23_contexts(snapshot_dir: Path, tmp_path: Path) -> None:
    """Put addresses and numbers back where the K23 file had them; ingestion must remove them all.

    The file was scrubbed before bundling, so the real contexts (13 e-mails, 6 phone numbers in
    descriptions, next to postcodes, road numbers, times) are restored with made-up values in
    several formats; parsing must give back exactly the scrubbed text.
    """
    original = json.loads((snapshot_dir / "france_travail_offres" / K23).read_text(encoding="utf-8"))
    emails, phones = itertools.cycle(EMAILS), itertools.cycle(PHONES)
    restored = []
    for offer in original:
        description = re.sub(r"\[email\]", lambda _: next(emails), offer["description"])
        restored.append({**offer, "description": re.sub(r"\[tel\]", lambda _: next(phones), description)})
    assert sum(offer["description"].count("@") for offer in restored) == 13
    restored_file = tmp_path / "restored_k23.json"
    restored_file.write_text(json.dumps(restored, ensure_ascii=False), encoding="utf-8")

    parsed = france_travail.parse_offer_file(restored_file)
    assert parsed.notes["restored_k23.json: emails_scrubbed"] == 13
    assert parsed.notes["restored_k23.json: phones_scrubbed"] == 6
    # apply_schema strips surrounding blanks of every value; nothing else may differ.
    assert parsed.rows["description"].tolist() == [offer["description"].strip() for offer in original]
    assert not parsed.rows["description"].str.contains("@").any()


def test_scrubber_leaves_lookalikes_alone(snapshot_dir: Path) -> None:
    """No false positive on 1,879 real offers: handles, company names with @, SIRET-like runs."""
    parsed = france_travail.parse_job_offers(snapshot_dir)
    assert parsed.notes["emails_scrubbed"] == 0 and parsed.notes["phones_scrubbed"] == 0
    frame = pd.DataFrame(
        {
            "text": [
                "Blute@ms Technology",
                "follow us on Twitter @CFM_engines.",
                "SIRET 12345678901234",
                "Réf. 0612345678901",
                "29530 LOQUEFFRET, RD 2204",
                "de 08h00 - 17h00",
                "écrire à rh@exemple.fr ou appeler le 03 88 12 34 56",
            ]
        },
        dtype="string",
    )
    scrubbed, counts = france_travail.scrub_personal_data(frame, ["text"])
    assert scrubbed["text"].tolist()[:6] == frame["text"].tolist()[:6]
    assert scrubbed["text"].iloc[6] == "écrire à [email] ou appeler le [tel]"
    assert counts == {"emails_scrubbed": 1, "phones_scrubbed": 1}


def test_contact_and_agence_dropped_from_any_file(tmp_path: Path) -> None:
    offer = {
        "id": "999XYZ",
        "intitule": "Agent",
        "description": "Tél 0388123456",
        "contact": {"nom": "M. Martin", "courriel": "martin@exemple.fr", "telephone": "0388123456"},
        "agence": {"courriel": "agence@francetravail.fr"},
        "lieuTravail": {"libelle": "67 - STRASBOURG"},
    }
    path = tmp_path / "offers.json"
    path.write_text(json.dumps([offer]), encoding="utf-8")
    parsed = france_travail.parse_offer_file(path)
    row = parsed.rows.iloc[0]
    assert row["description"] == "Tél [tel]"
    assert not [c for c in parsed.rows.columns if "contact" in c or "agence" in c]
    assert "Martin" not in parsed.rows.astype("string").stack().str.cat()


def test_an_id_that_looks_like_a_phone_number_is_kept_while_the_text_is_scrubbed(tmp_path: Path) -> None:
    # Two partner offers whose ids are ten digits starting with 0: scrubbing the ids would make
    # both "[tel]", one offer in the marts instead of two.
    offers = [
        {"id": "0388123456", "intitule": "Agent", "description": "Appeler le 0388123456"},
        {"id": "0388123457", "intitule": "Agent", "description": "Sans numéro"},
    ]
    path = tmp_path / "offers.json"
    path.write_text(json.dumps(offers), encoding="utf-8")
    parsed = france_travail.parse_offer_file(path)
    assert parsed.rows["offer_id"].tolist() == ["0388123456", "0388123457"]
    assert parsed.rows["description"].tolist() == ["Appeler le [tel]", "Sans numéro"]


def test_search_response_object_is_accepted(snapshot_dir: Path, tmp_path: Path) -> None:
    offers = json.loads((snapshot_dir / "france_travail_offres_national_2026" / NATIONAL).read_text(encoding="utf-8"))
    path = tmp_path / "search_response.json.gz"
    response = {"resultats": offers[:20], "filtresPossibles": [{"filtre": "typeContrat", "agregation": []}]}
    path.write_bytes(gzip.compress(json.dumps(response).encode("utf-8")))
    parsed = france_travail.parse_offer_file(path)
    assert parsed.rows["offer_id"].tolist() == [offer["id"] for offer in offers[:20]]
    assert parsed.rows["_row_number"].tolist() == list(range(1, 21))


def test_malformed_json_names_file_line_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    text = (snapshot_dir / "france_travail_offres_more" / BIOSTAT).read_text(encoding="utf-8")
    broken = tmp_path / BIOSTAT
    # Drop the comma after the third offer's id: a real-looking truncation by a faulty export.
    position = text.index('"intitule"', text.index('"id"', text.index('"id"', text.index('"id"') + 1) + 1))
    cut = text.rindex(",", 0, position)
    broken.write_text(text[:cut] + text[cut + 1 :], encoding="utf-8")
    line = text[:cut].count("\n") + 1
    with pytest.raises(SourceFileError) as error:
        france_travail.parse_offer_file(broken)
    message = str(error.value)
    assert BIOSTAT in message
    assert f"line {line}, column" in message
    assert "expected valid JSON" in message and "Expecting ',' delimiter" in message


def test_wrong_top_level_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "not_offers.json"
    path.write_text(json.dumps({"listeIndicateurs": []}), encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"not_offers.json: top level: expected an array of offers"):
        france_travail.parse_offer_file(path)


def test_offer_without_id_goes_to_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "offers.json"
    path.write_text(
        json.dumps(
            [
                {"id": "1A", "intitule": "A", "dateCreation": "2024-01-02T03:04:05.000Z"},
                {"intitule": "No id, written to 06 12 34 56 78"},
                {"id": "1C", "intitule": "C", "dateCreation": "pas une date"},
            ]
        ),
        encoding="utf-8",
    )
    parsed = france_travail.parse_offer_file(path)
    assert parsed.rows["offer_id"].tolist() == ["1A"]
    assert parsed.rows_accounted == 3
    reasons = parsed.rejects.set_index("_row_number")["reject_reason"].to_dict()
    assert reasons["2"] == "column 'id': expected a value, found nothing"
    assert "column 'dateCreation': expected a timestamp" in reasons["3"]
    # Quarantine holds scrubbed text too.
    assert parsed.rejects["intitule"].str.contains(r"\[tel\]").any()


def test_unreadable_psv_list_cell_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    lines = gzip.decompress((snapshot_dir / "france_travail_offres_more" / PSV).read_bytes()).decode("utf-8")
    frame = pd.read_csv(io.StringIO(lines), sep="|", dtype=str, keep_default_na=False).head(3)
    frame.loc[1, "competences"] = "[{'code': '100341', 'libelle': "
    path = tmp_path / "offers.psv"
    frame.to_csv(path, sep="|", index=False)
    parsed = france_travail.parse_offer_file(path)
    assert len(parsed.rows) == 2 and len(parsed.rejects) == 1
    assert parsed.rejects["reject_reason"].iloc[0] == "column 'competences': expected a Python list literal"
    assert parsed.rejects["id"].iloc[0] == frame.loc[1, "id"]
