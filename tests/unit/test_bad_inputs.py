"""Bad-input catalogue: each case is a small copy of a real snapshot file, broken one way, with its
exact outcome (an error naming file and field, or quarantine with a reason; never a silent drop).

Cases covered elsewhere, not repeated here: a BOM and a trailing empty line (test_geography), a
Latin-1 file claiming UTF-8 and a stray cp1252 byte (test_encodings), `;` for `,` (test_training_kit),
a renamed or missing BMO column and a renamed sheet (test_bmo, test_training_kit), `*` secrecy
markers (test_bmo), `nd` markers (test_inserjeunes), a malformed offers JSON and an offer without id
(test_france_travail), an LHEO XML without its namespace (test_training_lheo), blank lines
(test_accounting), a downloaded zip without the expected member (integration/test_open_data_downloads).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from ingestion import france_travail, geography, rco, rncp
from ingestion.accounting import parse_counted
from ingestion.catalog import by_key
from ingestion.errors import SourceFileError
from ingestion.landing import land, read_manifest
from ingestion.readers.files import read_bytes
from ingestion.rules import quarantine_rule_failures
from ingestion.tables import RawTable
from matching.offers import load_api_offers

REGIONS = Path("geo_cog") / "v_region_2024.csv"
OFFERS = (
    Path("france_travail_offres_more") / "DERIVED_nocontact_vimchun_offres_404939_biostatisticien_178_2024-11-30.json"
)


def _write(root: Path, relative: Path, data: bytes) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def test_an_empty_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = _write(tmp_path, REGIONS, b"")
    with pytest.raises(SourceFileError) as raised:
        geography.parse("regions", tmp_path)
    assert str(raised.value) == f"{path}: file: expected a header row and records, found an empty file (0 characters)"


def test_a_header_without_records_lands_nothing_and_accounts_for_it(snapshot_dir: Path, tmp_path: Path) -> None:
    header = (snapshot_dir / REGIONS).read_bytes().split(b"\n", 1)[0] + b"\n"
    _write(tmp_path, REGIONS, header)
    parsed = parse_counted(by_key()[("geography", "regions")], tmp_path)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (0, 0, 0)


def test_an_extra_column_lands_the_known_ones_and_is_named_in_the_notes(snapshot_dir: Path, tmp_path: Path) -> None:
    lines = (snapshot_dir / REGIONS).read_text(encoding="utf-8").splitlines()
    edited = [lines[0] + ',"POPULATION"', *(line + ',"1"' for line in lines[1:])]
    _write(tmp_path, REGIONS, ("\r\n".join(edited) + "\r\n").encode("utf-8"))
    parsed = parse_counted(by_key()[("geography", "regions")], tmp_path)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (18, 18, 0)
    assert parsed.notes == {"columns_not_landed": "POPULATION"}
    assert "POPULATION" not in parsed.rows.columns


def test_a_missing_column_is_an_error_naming_it(snapshot_dir: Path, tmp_path: Path) -> None:
    lines = (snapshot_dir / REGIONS).read_text(encoding="utf-8").splitlines()
    edited = [",".join(line.split(",")[:-1]) for line in lines]  # LIBELLE gone
    path = _write(tmp_path, REGIONS, ("\n".join(edited) + "\n").encode("utf-8"))
    with pytest.raises(SourceFileError, match=rf"^{path}: header: expected columns \['LIBELLE'\], found columns"):
        geography.parse("regions", tmp_path)


def test_a_negative_count_goes_to_quarantine_with_its_reason(snapshot_dir: Path, tmp_path: Path) -> None:
    source = snapshot_dir / "jobseekers_defm" / "odis_emploi_demandeur_communes_2020-2024.csv.gz"
    lines = read_bytes(source).decode("utf-8").splitlines()[:6]
    header = lines[0].split(",")
    column = header.index("Demandeurs_Emploi")
    fields = lines[3].split(",")
    fields[column] = "-3"
    lines[3] = ",".join(fields)
    _write(
        tmp_path,
        Path("jobseekers_defm") / "odis_emploi_demandeur_communes_2020-2024.csv",
        ("\n".join(lines) + "\n").encode(),
    )
    parsed = parse_counted(by_key()[("jobseekers", "jobseekers_by_commune")], tmp_path)
    assert (parsed.records_read, len(parsed.rows), len(parsed.rejects)) == (5, 4, 1)
    assert parsed.rejects["_row_number"].tolist() == ["3"]
    assert parsed.rejects["reject_reason"].tolist() == ["column 'Demandeurs_Emploi': expected a value >= 0, found '-3'"]


def _offers_copy(snapshot_dir: Path, tmp_path: Path, edit: object) -> Path:
    offers = json.loads((snapshot_dir / OFFERS).read_text(encoding="utf-8"))[:3]
    edit(offers)  # type: ignore[operator]
    return _write(tmp_path, Path(OFFERS.name), json.dumps(offers, ensure_ascii=False).encode("utf-8"))


def test_control_characters_go_to_quarantine_and_html_lands_as_text(snapshot_dir: Path, tmp_path: Path) -> None:
    def damage(offers: list[dict]) -> None:
        offers[0]["description"] = "Poste de biostatisticien\x07 à pourvoir"
        offers[1]["description"] = "<p>Vous rejoignez <b>l'équipe</b> de biostatistique</p>"

    parsed = france_travail.parse_offer_file(_offers_copy(snapshot_dir, tmp_path, damage))
    assert (len(parsed.rows), len(parsed.rejects)) == (2, 1)
    assert parsed.rejects["reject_reason"].tolist() == [
        "column 'description': expected text, found control character U+0007"
    ]
    # markup is text the publisher wrote: it lands unchanged, the text steps read it as words
    assert "<p>Vous rejoignez <b>l'équipe</b> de biostatistique</p>" in parsed.rows["description"].tolist()


@pytest.mark.slow  # writes and parses a 50 MB file
def test_a_50_mb_description_goes_to_quarantine_not_to_the_raw_zone(snapshot_dir: Path, tmp_path: Path) -> None:
    def inflate(offers: list[dict]) -> None:
        offers[2]["description"] = "Analyse de données cliniques. " * (50 * 1024 * 1024 // 30)

    parsed = france_travail.parse_offer_file(_offers_copy(snapshot_dir, tmp_path, inflate))
    assert (len(parsed.rows), len(parsed.rejects)) == (2, 1)
    assert parsed.rejects["reject_reason"].tolist() == [
        "column 'description': expected at most 1,000,000 characters, found 52,428,779"  # trailing space stripped
    ]
    table = RawTable(
        "france_travail", "job_offers", "test", lambda _: france_travail.parse_offer_file(tmp_path / OFFERS.name)
    )
    landed = land(
        tmp_path, "france_travail", "job_offers", parse_counted(table, tmp_path), partition="test", origin="test"
    )
    assert read_manifest(landed.path)["rows_read"] == 3 and landed.rows == 2


def test_one_offer_id_in_two_versions_lands_both_rows(snapshot_dir: Path, tmp_path: Path) -> None:
    def duplicate(offers: list[dict]) -> None:
        newer = dict(
            offers[0], dateActualisation="2024-12-01T08:00:00.000Z", intitule="Biostatisticien (H/F) - mise à jour"
        )
        offers.append(newer)

    parsed = france_travail.parse_offer_file(_offers_copy(snapshot_dir, tmp_path, duplicate))
    # both versions land, nothing dropped at ingestion; marts.job_postings keeps the latest version
    assert len(parsed.rows) == 4 and len(parsed.rejects) == 0
    assert parsed.rows["offer_id"].value_counts().max() == 2


def test_a_truncated_json_array_is_an_error_naming_file_line_and_column(snapshot_dir: Path, tmp_path: Path) -> None:
    source = snapshot_dir / "training_catalogue" / rco.FLOW_JSON_FILE
    text = source.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    path = _write(tmp_path, Path(rco.FLOW_JSON_FILE), cut.encode("utf-8"))
    with pytest.raises(SourceFileError) as raised:
        rco.parse_flow_json(path)
    line = cut.count("\n") + 1
    assert str(raised.value).startswith(f"{path}: line {line}, column ")
    assert "expected valid JSON" in str(raised.value)


def test_a_truncated_offers_file_is_the_same_error_for_ingestion_and_the_extractor(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    # Both read the API's JSON through ingestion.readers.files.read_json: one message, naming the position.
    text = (snapshot_dir / OFFERS).read_text(encoding="utf-8")
    cut = text[: text.index('"intitule"', len(text) // 3)]
    path = _write(tmp_path, OFFERS, cut.encode("utf-8"))
    with pytest.raises(SourceFileError) as from_ingestion:
        france_travail.parse_offer_file(path)
    with pytest.raises(SourceFileError) as from_extractor:
        load_api_offers(path)
    line = cut.count("\n") + 1
    assert str(from_ingestion.value).startswith(f"{path}: line {line}, column ")
    assert "expected valid JSON: " in str(from_ingestion.value)
    assert (from_extractor.value.file, from_extractor.value.location) == (
        from_ingestion.value.file,
        from_ingestion.value.location,
    )
    assert (
        from_extractor.value.found == from_ingestion.value.found == "Expecting property name enclosed in double quotes"
    )


def test_a_zip_without_the_expected_export_file_is_an_error(snapshot_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / rncp.FOLDER
    folder.mkdir()
    with zipfile.ZipFile(folder / "export-fiches-csv-2024-02-22.zip", "w") as archive:
        archive.writestr("LISEZ-MOI.txt", "Export RNCP: fichiers CSV")
    with pytest.raises(SourceFileError) as raised:
        rncp.parse_export_table("fiche_romes", tmp_path)
    assert str(raised.value) == (
        f"{folder / 'export_fiches_CSV_Rome_*.csv'}: files: expected one RNCP export file of that kind, found none"
    )
    shutil.rmtree(folder)


def test_a_future_date_and_malformed_codes_go_to_quarantine_with_their_rule(snapshot_dir: Path, tmp_path: Path) -> None:
    def damage(offers: list[dict]) -> None:
        offers[0]["dateCreation"] = "2031-01-15T09:00:00.000Z"  # years ahead of any publication
        offers[1]["romeCode"] = "M18O5"  # letter O for zero
        offers[2]["lieuTravail"] = dict(offers[2]["lieuTravail"], commune="6748")  # a code that lost a digit

    parsed = france_travail.parse_offer_file(_offers_copy(snapshot_dir, tmp_path, damage))
    kept, rejected_per_rule = quarantine_rule_failures(parsed, by_key()[("france_travail", "job_offers")].rules)

    assert len(kept.rows) == 0 and len(kept.rejects) == 3
    assert sorted(kept.rejects["reject_reason"]) == [
        "rule commune_code: column 'lieu_travail_commune' expected to match ^(\\d{5}|2[AB]\\d{3})$, found '6748'",
        "rule not_in_future: column 'date_creation' expected not to be in the future, found '2031-01-15 09:00:00+00:00'",
        "rule rome_code: column 'rome_code' expected to match ^[A-N]\\d{4}$, found 'M18O5'",
    ]
    assert {rule: count for rule, count in rejected_per_rule.items() if count} == {
        "commune_code(lieu_travail_commune)": 1,
        "not_in_future(date_creation)": 1,
        "rome_code(rome_code)": 1,
    }


def test_well_formed_codes_unknown_to_the_referentials_land_as_published(snapshot_dir: Path, tmp_path: Path) -> None:
    # A ROME fiche or a commune newer than the bundled referentials is not an error at ingestion:
    # the row lands as the API sent it; job_postings resolves communes through the COG and keeps
    # the published code in source_commune_code.
    def newer(offers: list[dict]) -> None:
        offers[0]["romeCode"] = "M1899"
        offers[1]["lieuTravail"] = dict(offers[1]["lieuTravail"], commune="67999")

    parsed = france_travail.parse_offer_file(_offers_copy(snapshot_dir, tmp_path, newer))
    kept, _ = quarantine_rule_failures(parsed, by_key()[("france_travail", "job_offers")].rules)

    assert (len(kept.rows), len(kept.rejects)) == (3, 0)
    assert kept.rows["rome_code"].iloc[0] == "M1899"
    assert kept.rows["lieu_travail_commune"].iloc[1] == "67999"
