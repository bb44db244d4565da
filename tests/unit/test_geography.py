"""Geography parsers (COG 2024, zones d'emploi 2020, BMO bassins 2021) on the real bundled files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from ingestion import geography
from ingestion.errors import SourceFileError


def test_communes_by_type_and_grand_est(snapshot_dir: Path) -> None:
    parsed = geography.parse("communes", snapshot_dir)
    rows = parsed.rows
    assert len(rows) == 37544 and len(parsed.rejects) == 0
    assert rows["typecom"].value_counts().to_dict() == {"COM": 34935, "COMD": 2081, "COMA": 483, "ARM": 45}
    assert ((rows["typecom"] == "COM") & (rows["reg"] == "44")).sum() == 5118
    # Codes stay text with their leading zero; former communes point to their 2024 commune.
    assert rows.loc[rows["com"] == "01001", "libelle"].item() == "L'Abergement-Clémenciat"
    marseille_1 = rows[(rows["com"] == "13201")].iloc[0]
    assert (marseille_1["typecom"], marseille_1["comparent"]) == ("ARM", "13055")
    assert rows.loc[rows["typecom"].isin(["COMD", "COMA"]), "comparent"].notna().all()


def test_departements_and_regions(snapshot_dir: Path) -> None:
    departements = geography.parse("departements", snapshot_dir).rows
    regions = geography.parse("regions", snapshot_dir).rows
    assert len(departements) == 101 and len(regions) == 18
    grand_est = sorted(departements.loc[departements["reg"] == "44", "dep"])
    assert grand_est == ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]
    assert regions.set_index("reg").loc["44", "libelle"] == "Grand Est"


def test_zones_emploi_bom_and_trailing_empty_line(snapshot_dir: Path) -> None:
    parsed = geography.parse("zones_emploi", snapshot_dir)
    # 34,936 lines read: 34,935 communes, and the export's final ",,,," line in quarantine.
    assert parsed.rows_accounted == 34936
    assert len(parsed.rows) == 34935
    assert len(parsed.rejects) == 1
    assert parsed.rejects.iloc[0]["reject_reason"] == "blank record: no value in any column"
    # The UTF-8 BOM does not leak into the first header.
    assert list(parsed.rows.columns[2:]) == ["codgeo", "libgeo", "ze_2020", "codze2020", "libze2020"]
    assert parsed.rows["codgeo"].is_unique
    assert parsed.rows["codze2020"].nunique() == 306
    assert parsed.rows.set_index("codgeo").loc["57463", "libze2020"] == "Metz"


def test_bassins_keep_the_published_codes_raw(snapshot_dir: Path) -> None:
    rows = geography.parse("bassins_bmo", snapshot_dir).rows
    assert len(rows) == 37498
    assert rows["codgeo"].is_unique
    # Leading zeros lost by the publisher are kept raw (padded in staging): 3,282 rows.
    short = rows[rows["dep"].str.len() == 1]
    assert len(short) == 3282
    assert (short["codgeo"].str.len() == 4).all()
    assert rows.loc[rows["codgeo"] == "8105", "libbe"].item() == "CHARLEVILLE"
    assert rows.loc[rows["reg"] == "44", "codbe"].nunique() == 43


def test_missing_header_column_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "geo_zonages" / "France_Travail_Bassin_Emploi_2021.csv"
    path.parent.mkdir(parents=True)
    path.write_text("\ufeffreg,dep,codgeo,libbe\n44,57,57463,METZ\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as error:
        geography.parse("bassins_bmo", tmp_path)
    message = str(error.value)
    assert "France_Travail_Bassin_Emploi_2021.csv" in message
    assert "header" in message and "codbe" in message


def test_commune_without_code_goes_to_quarantine(snapshot_dir: Path, tmp_path: Path) -> None:
    source = snapshot_dir / "geo_cog" / "v_commune_2024.csv.gz"
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines()
    lines[3] = '"COM","","84","01","01D","011","1","X","X","X","0101",""'
    target = tmp_path / "geo_cog" / "v_commune_2024.csv.gz"
    target.parent.mkdir(parents=True)
    target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    parsed = geography.parse("communes", tmp_path)
    assert len(parsed.rows) == 37543 and len(parsed.rejects) == 1
    assert parsed.rejects.iloc[0]["reject_reason"] == "column 'COM': expected a value, found nothing"
    assert parsed.rejects.iloc[0]["_row_number"] == "3"
