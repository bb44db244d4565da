"""hiring_needs and territories in the built warehouse, checked against the BMO workbook read
independently through the parser."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion import bmo

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(built_pipeline: tuple[Path, str]):
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def published_projects_by_region(snapshot_dir: Path) -> dict[str, int]:
    """Sum of the non-secret `met` cells per REG, straight from the workbook."""
    rows = bmo.parse_hiring_projects(snapshot_dir).rows
    return {region: int(total) for region, total in rows.groupby("reg")["met"].sum().items()}


def test_grand_est_projects_equal_the_published_total(warehouse) -> None:
    total = warehouse.execute("select sum(projects) from marts.hiring_needs where region_code = '44'").fetchone()[0]
    assert total == 189816


REGIONS = ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]


@pytest.mark.parametrize("region", REGIONS)
def test_every_region_projects_equal_the_published_total(warehouse, published_projects_by_region, region: str) -> None:
    mart_total = warehouse.execute(
        "select sum(projects) from marts.hiring_needs where region_code = ?", [region]
    ).fetchone()[0]
    assert mart_total == published_projects_by_region[region]


def test_regions_are_all_there(warehouse, published_projects_by_region) -> None:
    regions = {row[0] for row in warehouse.execute("select distinct region_code from marts.hiring_needs").fetchall()}
    assert regions == set(published_projects_by_region) == set(REGIONS)


def test_secret_stays_null(warehouse) -> None:
    nulls, zeros = warehouse.execute(
        "select count(*) filter (where projects is null), count(*) filter (where projects = 0) from marts.hiring_needs"
    ).fetchone()
    assert nulls > 10000
    # Marie-Galante agriculteurs: 17 projects, difficult and seasonal secret.
    row = warehouse.execute(
        "select projects, difficult_projects, seasonal_projects, difficulty_rate from marts.hiring_needs "
        "where bassin_bmo_code = '103' and bmo_metier_code = 'A0X40'"
    ).fetchone()
    assert row == (17, None, None, None)


def test_grand_est_has_43_bassins(warehouse) -> None:
    in_marts = warehouse.execute(
        "select count(distinct bassin_bmo_code) from marts.hiring_needs where region_code = '44'"
    ).fetchone()[0]
    in_territories = warehouse.execute(
        "select count(*) from marts.territories where territory_level = 'bassin_bmo' and region_code = '44'"
    ).fetchone()[0]
    assert in_marts == in_territories == 43
    metz = warehouse.execute(
        "select name, departement_code from marts.territories where territory_level = 'bassin_bmo' and territory_code = '4431'"
    ).fetchone()
    assert metz == ("METZ", "57")


def test_every_grand_est_commune_has_a_bassin_and_a_zone(warehouse) -> None:
    communes, with_bassin, with_zone = warehouse.execute(
        "select count(*), count(bassin_bmo_code), count(zone_emploi_code) from marts.territories "
        "where territory_level = 'commune' and commune_type = 'COM' and region_code = '44'"
    ).fetchone()
    assert communes == 5118
    assert with_bassin == with_zone == 5118
    # An Ardennes commune, published as '8105' in the bassin file, resolves after padding.
    charleville = warehouse.execute(
        "select bassin_bmo_code, bassin_bmo_match, zone_emploi_code from marts.territories "
        "where territory_level = 'commune' and territory_code = '08105'"
    ).fetchone()
    assert charleville[0] == "4412" and charleville[1] == "direct" and charleville[2] is not None


def test_territory_levels(warehouse) -> None:
    counts = dict(warehouse.execute("select territory_level, count(*) from marts.territories group by 1").fetchall())
    assert counts == {"commune": 34935 + 45, "departement": 101, "region": 18, "zone_emploi": 306, "bassin_bmo": 407}


def test_commune_codes_seen_in_sources_resolve(warehouse) -> None:
    resolved = dict(
        (seen, (code, how))
        for seen, code, how in warehouse.execute(
            "select commune_code_seen, commune_code, how from intermediate.int_communes_resolved "
            "where commune_code_seen in ('57463', '13201', '01015')"
        ).fetchall()
    )
    assert resolved["57463"] == ("57463", "commune")
    assert resolved["13201"] == ("13201", "arrondissement")
    assert resolved["01015"] == ("01015", "commune")
    former = warehouse.execute(
        "select commune_code_seen, commune_code from intermediate.int_communes_resolved where how = 'commune_deleguee' "
        "order by commune_code_seen limit 1"
    ).fetchone()
    assert former[0] != former[1]
    total = warehouse.execute("select count(*) from intermediate.int_communes_resolved").fetchone()[0]
    assert total == 36971


def test_tension_flags_grand_est(warehouse) -> None:
    aides_soignants, software = warehouse.execute(
        "select bool_and(is_en_tension) filter (where bmo_metier_code = 'V0X60'), "
        "bool_and(is_en_tension) filter (where bmo_metier_code = 'M1X80') "
        "from marts.hiring_needs where region_code = '44'"
    ).fetchone()
    assert aides_soignants and software
