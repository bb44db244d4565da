"""DARES "Portraits statistiques des métiers" parsers on the real bundled files."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ingestion import dares
from ingestion.errors import SourceFileError

SNAPSHOT_ROWS = {
    "tensions": 31034,
    "tension_history": 2367,
    "women_share_employment": 3168,
    "women_share_employment_detailed": 7453,
    "women_share_jobseekers": 88,
    "jobseekers_by_fap": 14256,
    "employment_by_region": 1519,
    "fap_to_rome": 768,
    "fap_to_pcs": 486,
}

CP1252_FILES = {
    "part_femmes_3niv.csv.gz",
    "serie_demandeurs_emploi_A_ABC.csv.gz",
    "input_carte1.csv",
    "fap225_rome.csv",
    "FAP_PCS.csv",
}


@pytest.mark.parametrize("table", list(SNAPSHOT_ROWS))
def test_rows_read_and_encoding_detected(snapshot_dir: Path, table: str) -> None:
    parsed = dares.parse(table, snapshot_dir)
    assert parsed.rows_accounted == SNAPSHOT_ROWS[table]
    ((file_name, encoding),) = parsed.encodings.items()
    assert encoding == ("cp1252" if file_name in CP1252_FILES else "utf-8")
    # Only the three empty records at the end of fap225_rome.csv are rejected.
    assert len(parsed.rejects) == (3 if table == "fap_to_rome" else 0)


def test_tensions_levels_region_codes_and_nulls(snapshot_dir: Path) -> None:
    rows = dares.parse("tensions", snapshot_dir).rows
    # The trailing space of 'reg ' (1,309 FAP-87 regional rows) is gone.
    assert rows["niveau_geo"].value_counts().to_dict() == {"dep": 26300, "reg": 4471, "nat": 263}
    assert rows["tension"].isna().sum() == 1488
    # '44.0' lands as the INSEE code '44', '1.0' (Guadeloupe) as '01'.
    assert (rows["reg"] == "44").sum() == 263
    assert set(rows["reg"].dropna()) >= {"01", "04", "11", "44", "94"}
    assert rows.loc[rows["niveau_geo"] == "dep", "reg"].isna().all()
    assert rows.loc[rows["niveau_geo"] == "dep", "dep"].nunique() == 100
    assert {"2A", "2B", "971"} <= set(rows["dep"].dropna())
    assert rows["categorie_tension"].dropna().between(1, 5).all()


def test_tension_of_it_engineers_in_grand_est(snapshot_dir: Path) -> None:
    rows = dares.parse("tensions", snapshot_dir).rows
    # tensions.csv line 2135: M2Z90,10000,1.42386882571892,5.0,5.0,5.0,4.0,1.0,1.0,2.0,2019,reg,...
    row = rows[(rows["fap"] == "M2Z90") & (rows["reg"] == "44")].iloc[0]
    assert row["emploi_moyen"] == 10000
    assert row["tension"] == pytest.approx(1.42386882571892)
    assert row["categorie_tension"] == 5
    assert row["intensite_d_embauches"] == 5
    assert row["manque_de_main_d_oeuvre_disponible"] == 4
    assert row["non_durabilite_de_l_emploi"] == 1
    assert row["inadequation_geographique"] == 2
    assert row["niveau_fap"] == "fap 225" and row["annee"] == 2019
    moselle = rows[(rows["fap"] == "M2Z90") & (rows["dep"] == "57")].iloc[0]
    assert moselle["tension"] == pytest.approx(1.290266424816293)
    assert moselle["emploi_moyen"] == 1200


def test_tension_history_years(snapshot_dir: Path) -> None:
    rows = dares.parse("tension_history", snapshot_dir).rows
    assert rows.groupby("annee").size().to_dict() == {year: 263 for year in range(2011, 2020)}
    row = rows[(rows["fap"] == "M2Z90") & (rows["annee"] == 2018)].iloc[0]
    assert row["tension"] == pytest.approx(2.93144, abs=1e-5)


def test_women_share_windows_and_r_missing_values(snapshot_dir: Path) -> None:
    rows = dares.parse("women_share_employment", snapshot_dir).rows
    assert rows["fap3"].nunique() == 88 and rows["annee"].nunique() == 36
    row = rows[(rows["fap3"] == "M2Z") & (rows["annee"] == "2017-2019")].iloc[0]
    assert (row["annee_debut"], row["annee_fin"]) == (2017, 2019)
    assert row["part"] == pytest.approx(18.3875864008458)
    # R wrote NA for T2A/T2B in early windows: NULL, not 0, not rejected.
    missing = rows[rows["part"].isna()]
    assert len(missing) == 20 and set(missing["fap3"]) == {"T2A", "T2B"}


def test_women_share_detailed_is_decoded_as_cp1252(snapshot_dir: Path) -> None:
    rows = dares.parse("women_share_employment_detailed", snapshot_dir).rows
    # 0x9C is 'œ' in cp1252 (a control character in ISO-8859-1).
    assert "Ouvriers qualifiés du gros œuvre du bâtiment" in set(rows["libelle"])
    assert rows["fap3"].str.len().value_counts().to_dict() == {5: 3405, 3: 3184, 1: 828, 8: 36}
    # Domains (1 letter) and 'Ensemble' have no parent FAP: NA in the file, NULL here.
    no_parent = rows[rows["code_fap_agregee"].isna()]
    assert len(no_parent) == 864 and set(no_parent["fap3"].str.len()) == {1, 8}
    row = rows[(rows["fap3"] == "M2Z") & (rows["annee"] == "2017-2019")].iloc[0]
    assert row["libelle"] == "Ingénieurs de l'informatique" and row["code_domaine"] == "M"


def test_jobseekers(snapshot_dir: Path) -> None:
    series = dares.parse("jobseekers_by_fap", snapshot_dir).rows
    assert set(series["categorie"]) == {"Catégorie A", "Catégories A, B, C"}
    it = series[(series["fap3"] == "M2Z") & (series["annee"] == 2020)].set_index("categorie")
    assert it.loc["Catégorie A", "effectifs"] == pytest.approx(29.74)
    assert it.loc["Catégories A, B, C", "effectifs"] == pytest.approx(39.09)
    assert series.loc[series["fap3"] == "Ensemble", "effectifs"].isna().sum() == 48
    shares = dares.parse("women_share_jobseekers", snapshot_dir).rows.set_index("fap3")
    assert shares.loc["Ensemble", "part_femmes_a"] == pytest.approx(48.54)
    assert shares.loc["M2Z", "part_femmes_a"] == pytest.approx(21.11)


def test_employment_by_region(snapshot_dir: Path) -> None:
    rows = dares.parse("employment_by_region", snapshot_dir).rows
    assert rows["code_reg"].nunique() == 18
    grand_est = rows[(rows["reg"] == "44") & (rows["fap_3"] == "M2Z")].iloc[0]
    assert grand_est["nom_reg"] == "Grand Est"
    assert grand_est["emp_fap_reg"] == pytest.approx(10798.58)
    assert grand_est["emp_reg"] == pytest.approx(2060125.53)
    # 'variable' is the FAP's share of the region's employment, in percent.
    assert grand_est["variable"] == pytest.approx(100 * 10798.58 / 2060125.53, abs=1e-4)
    assert "Île-de-France" in set(rows["nom_reg"])


def test_crosswalks(snapshot_dir: Path) -> None:
    parsed = dares.parse("fap_to_rome", snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 765 and rows["fap"].nunique() == 224
    assert rows["rome"].isna().sum() == 16
    assert sorted(rows.loc[rows["fap"] == "M2Z90", "rome"]) == ["M1801", "M1802", "M1803", "M1805", "M1806", "M1810"]
    # the file's 3 rows without any value (separators only) are set aside as blank records
    assert len(parsed.rejects) == 3
    assert set(parsed.rejects["reject_reason"]) == {"blank record: no value in any column"}
    pcs = dares.parse("fap_to_pcs", snapshot_dir).rows
    assert pcs["pcs"].is_unique and pcs["fap"].nunique() == 225
    assert pcs.set_index("pcs").loc["111a", "fap"] == "A0Z00"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / dares.FOLDER
    folder.mkdir(parents=True)
    return folder


def test_header_without_tension_column_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    text = gzip.decompress((snapshot_dir / dares.FOLDER / "tensions.csv.gz").read_bytes()).decode()
    lines = text.splitlines()
    lines[0] = lines[0].replace("Tension ,", "Tension_indicator,")
    (_folder(tmp_path) / "tensions.csv").write_text("\n".join(lines[:50]) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        dares.parse("tensions", tmp_path)
    message = str(error.value)
    assert "tensions.csv: header: expected columns ['Tension']" in message


def test_bytes_neither_utf8_nor_cp1252_are_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    data = (snapshot_dir / dares.FOLDER / "FAP_PCS.csv").read_bytes()
    broken = data[:200] + b"\x81" + data[200:]
    (_folder(tmp_path) / "FAP_PCS.csv").write_bytes(broken)
    with pytest.raises(SourceFileError) as error:
        dares.parse("fap_to_pcs", tmp_path)
    message = str(error.value)
    assert "FAP_PCS.csv: byte offset 200: expected UTF-8 or cp1252" in message
    assert "0x81" in message


def test_region_that_is_not_a_whole_number_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    target = _folder(tmp_path) / "tensions.csv.gz"
    shutil.copy(snapshot_dir / dares.FOLDER / "tensions.csv.gz", target)
    lines = gzip.decompress(target.read_bytes()).decode().splitlines()
    assert lines[2135 - 1].endswith(",44.0,")
    lines[2135 - 1] = lines[2135 - 1].replace(",44.0,", ",44.5,")
    target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    parsed = dares.parse("tensions", tmp_path)
    assert len(parsed.rejects) == 1 and parsed.rows_accounted == 31034
    reject = parsed.rejects.iloc[0]
    assert reject["fap"] == "M2Z90"
    assert reject["reject_reason"] == "column 'reg': expected an integer, found '44.5'"
