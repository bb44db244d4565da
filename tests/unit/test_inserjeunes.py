"""InserJeunes establishment parser on the ten real bundled files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from ingestion import inserjeunes
from ingestion.errors import SourceFileError
from ingestion.tables import ParsedTable

# (millésime, filière): rows, Grand Est rows, Grand Est distinct UAI, counted by hand in the bundled files.
FILE_COUNTS = {
    ("2018_2019", "apprentissage"): (851, 98, 98),
    ("2018_2019", "pro"): (4569, 393, 261),
    ("2019_2020", "apprentissage"): (1041, 119, 119),
    ("2019_2020", "pro"): (4674, 411, 259),
    ("2020_2021", "apprentissage"): (1767, 157, 157),
    ("2020_2021", "pro"): (4972, 439, 255),
    ("2021_2022", "apprentissage"): (2288, 164, 164),
    ("2021_2022", "pro"): (5325, 460, 254),
    ("2022_2023", "apprentissage"): (2527, 173, 173),
    ("2022_2023", "pro"): (5605, 496, 254),
}
# Cells 'nd' per file (counted with grep on the files); the older files have none.
ND_CELLS = {
    ("2021_2022", "apprentissage"): 4603,
    ("2021_2022", "pro"): 5695,
    ("2022_2023", "apprentissage"): 4271,
    ("2022_2023", "pro"): 6142,
}
NAMED_RATES = [
    inserjeunes.FURTHER_STUDY_RATE,
    inserjeunes.EMPLOYMENT_RATE,
    inserjeunes.EXPECTED_RATE,
    inserjeunes.VALUE_ADDED,
    inserjeunes.SHARE_FURTHER_STUDY,
    inserjeunes.SHARE_EMPLOYED,
    inserjeunes.SHARE_OTHER,
]
UAI = inserjeunes.UAI


@pytest.fixture(scope="module")
def parsed(snapshot_dir: Path) -> ParsedTable:
    return inserjeunes.parse_establishments(snapshot_dir)


def _row(rows: pd.DataFrame, millesime: str, filiere: str, uai: str, population: str | None = None) -> pd.Series:
    selected = rows[(rows["millesime"] == millesime) & (rows["filiere"] == filiere) & (rows[UAI] == uai)]
    if population is not None:
        selected = selected[selected[inserjeunes.POPULATION] == population]
    assert len(selected) == 1
    return selected.iloc[0]


def test_all_files_counts_and_grand_est(parsed: ParsedTable) -> None:
    rows = parsed.rows
    assert len(parsed.files) == 10 and len(parsed.rejects) == 0
    assert set(parsed.encodings.values()) == {"utf-8"}
    assert len(rows) == sum(count for count, _, _ in FILE_COUNTS.values()) == 33619
    for (millesime, filiere), (count, grand_est, grand_est_uai) in FILE_COUNTS.items():
        part = rows[(rows["millesime"] == millesime) & (rows["filiere"] == filiere)]
        in_region = part[part[inserjeunes.REGION] == "GRAND EST"]
        found = (len(part), len(in_region), in_region[UAI].nunique())
        assert found == (count, grand_est, grand_est_uai)
    assert rows[UAI].str.fullmatch(r"\d{7}[A-Z]").all()


def test_populations(parsed: ParsedTable) -> None:
    rows = parsed.rows
    apprentissage = rows[rows["filiere"] == "apprentissage"]
    assert apprentissage[inserjeunes.POPULATION].isna().all()
    pro = rows[rows["filiere"] == "pro"]
    assert set(pro[inserjeunes.POPULATION]) == {"ensemble", "dont apprentis", "dont élèves en voie pro sco"}
    ensemble = pro[pro[inserjeunes.POPULATION] == "ensemble"]
    assert not ensemble.duplicated(["millesime", UAI]).any()


def test_nd_becomes_null_never_zero(parsed: ParsedTable) -> None:
    rows = parsed.rows
    for (millesime, filiere), nd_cells in ND_CELLS.items():
        part = rows[(rows["millesime"] == millesime) & (rows["filiere"] == filiere)]
        # These files have no empty cells: every NULL rate was an 'nd'.
        assert int(part[NAMED_RATES].isna().sum().sum()) == nd_cells
    assert str(rows[inserjeunes.EMPLOYMENT_RATE].dtype) == "Float64"


def test_named_header_rates_by_hand(parsed: ParsedTable) -> None:
    # 2022_2023 apprentissage, a Grand Est CFA; the file reads:
    # 0080842X;OF-CFA  ALMEA FORMATION;GRAND EST;45;56;56;0;45;31;24
    row = _row(parsed.rows, "2022_2023", "apprentissage", "0080842X")
    assert row[inserjeunes.REGION] == "GRAND EST"
    assert [row[c] for c in NAMED_RATES] == [45, 56, 56, 0, 45, 31, 24]
    # 2022_2023 pro, 'dont apprentis' row of 0010006B: ...;dont apprentis;24;62;69;-7;24;47;29
    row = _row(parsed.rows, "2022_2023", "pro", "0010006B", "dont apprentis")
    assert [row[c] for c in NAMED_RATES] == [24, 62, 69, -7, 24, 47, 29]
    assert row[inserjeunes.VALUE_ADDED] == (row[inserjeunes.EMPLOYMENT_RATE] - row[inserjeunes.EXPECTED_RATE])


def test_positional_header_rates_by_hand(parsed: ParsedTable) -> None:
    rows = parsed.rows
    # 2018_2019 apprentissage, header "n°UAI...";"Libellé...";"Région";;;"Taux";"Taux attendu";
    # "Valeur ajoutée";;; and the line
    # "0010826T";"Centre de Formation ...";"AUVERGNE-RHONE-ALPES";41;38;67;63;4;68;69;71
    row = _row(rows, "2018_2019", "apprentissage", "0010826T")
    assert row["unlabelled_col_4"] == 41
    assert row[inserjeunes.FURTHER_STUDY_RATE] == 38
    assert [row[c] for c in NAMED_RATES[1:4]] == [67, 63, 4]
    later = [row[f"unlabelled_col_{position}"] for position in (9, 10, 11)]
    assert later == [68, 69, 71]
    assert pd.isna(row[inserjeunes.SHARE_EMPLOYED])
    # 2018_2019 pro: the blank 4th cell is the population:
    # "0010001W";...;"ensemble";49;47;41;6;51;55;56
    row = _row(rows, "2018_2019", "pro", "0010001W", "ensemble")
    assert [row[c] for c in NAMED_RATES[:4]] == [49, 47, 41, 6]
    # 2019_2020 pro: "0010001W";...;"ensemble";51;41;36;4;51
    row = _row(rows, "2019_2020", "pro", "0010001W", "ensemble")
    assert [row[c] for c in NAMED_RATES[:4]] == [51, 41, 36, 4] and row["unlabelled_col_9"] == 51
    assert pd.isna(row["unlabelled_col_10"])
    # 2019_2020 apprentissage: the empty 4th cell lands as a NULL population.
    row = _row(rows, "2019_2020", "apprentissage", "0010826T")
    assert pd.isna(row[inserjeunes.POPULATION])
    assert [row[c] for c in NAMED_RATES[:4]] == [39, 62, 61, 2]
    assert parsed.notes["header_2018_2019_pro"] == "mapped by position"
    assert parsed.notes["header_2022_2023_pro"] == "mapped by name"


def test_employment_rate_is_employed_among_leavers_not_in_study(parsed: ParsedTable) -> None:
    rows = parsed.rows.dropna(subset=[inserjeunes.EMPLOYMENT_RATE, inserjeunes.SHARE_EMPLOYED])
    rows = rows[rows[inserjeunes.SHARE_FURTHER_STUDY] < 100]
    derived = 100 * rows[inserjeunes.SHARE_EMPLOYED] / (100 - rows[inserjeunes.SHARE_FURTHER_STUDY])
    gap = (derived - rows[inserjeunes.EMPLOYMENT_RATE]).abs()
    assert len(rows) == 17234
    assert (gap <= 5).all() and (gap <= 2).mean() > 0.99


def _write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / inserjeunes.FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_named_header_without_taux_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    name = "depp-2022-etablissements-2022_2023-apprentissage.csv"
    lines = (snapshot_dir / inserjeunes.FOLDER / name).read_text(encoding="utf-8").splitlines()[:20]
    assert lines[0].split(";")[4] == "Taux"
    # Drop the 5th column ("Taux") from the header and every row.
    cells = [line.split(";") for line in lines]
    _write(tmp_path, name, "\n".join(";".join(row[:4] + row[5:]) for row in cells) + "\n")
    with pytest.raises(SourceFileError) as error:
        inserjeunes.parse_establishments(tmp_path)
    assert f"{name}: header: expected columns ['taux']" in str(error.value)


def test_shifted_blank_header_layout_is_a_clear_error(snapshot_dir: Path, tmp_path: Path) -> None:
    name = "depp-2022-etablissements-2018_2019-pro.csv"
    text = gzip.decompress((snapshot_dir / inserjeunes.FOLDER / f"{name}.gz").read_bytes()).decode()
    lines = text.splitlines()
    # Move "Taux" one cell left: the rates would land one column off if mapped blindly.
    lines[0] = lines[0].replace(';;;"Taux";', ';;"Taux";;')
    _write(tmp_path, name, "\n".join(lines[:30]) + "\n")
    with pytest.raises(SourceFileError) as error:
        inserjeunes.parse_establishments(tmp_path)
    message = str(error.value)
    expected = "expected 'taux_de_poursuite_d_etudes' at this position"
    assert f"{name}: header cell 5: {expected}" in message
    assert "found 'Taux'" in message


def test_unexpected_file_name_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path, "depp-2022-etablissements-2023-lycees.csv", "x\n")
    with pytest.raises(SourceFileError, match="file name: expected depp-YYYY-etablissements"):
        inserjeunes.parse_establishments(tmp_path)


def test_bytes_neither_utf8_nor_cp1252_are_a_clear_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "depp-2022-etablissements-2022_2023-pro.csv", "")
    path.write_bytes("n°UAI de l'établissement;Libellé\n".encode() + b"0010001W;Lyc\x8f\n")
    # UTF-8 ("°", "é") with one byte of another encoding: an error at that byte, never a cp1252 read
    with pytest.raises(
        SourceFileError, match=r"byte offset 48 \(line 2\): expected UTF-8 text throughout, found byte 0x8F"
    ):
        inserjeunes.parse_establishments(tmp_path)
