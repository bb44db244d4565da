"""The training marts after a full build: row accounting, places, certifications, occupation links."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e

# Raw tables whose rows are training actions one to one, by trainings.source.
ONE_ROW_PER_TRAINING = {
    "rco_apprenticeship_flow": ("rco", "apprenticeship_actions"),
    "rco_offre_info": ("rco", "offre_info_actions"),
    "rco_flow_json": ("rco", "flow_json_actions"),
    "lheo": ("lheo", "actions"),
    "lheo_summary": ("lheo", "offer_summaries"),
    "catalogue_apprentissage": ("catalogue_apprentissage", "formations"),
}


def _manifest(data_dir: Path, source: str, table: str) -> dict:
    return json.loads((data_dir / "raw" / source / table / "snapshot" / "_manifest.json").read_text())


def _query(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_no_training_is_silently_dropped(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    per_source = dict(_query(data_dir, "select source, count(*) from marts.trainings group by source"))
    for source, (raw_source, raw_table) in ONE_ROW_PER_TRAINING.items():
        manifest = _manifest(data_dir, raw_source, raw_table)
        assert manifest["rows_read"] == per_source[source] + manifest["rows_quarantined"], source
    # The CPF sample is one row per (training, ROME): every row belongs to exactly one training.
    cpf = _manifest(data_dir, "cpf", "training_romes")
    assert cpf["rows_read"] == 22 and cpf["rows_quarantined"] == 0
    assert per_source["cpf_sample"] == 8
    assert per_source == {
        "rco_apprenticeship_flow": 39510,
        "rco_offre_info": 7470,
        "rco_flow_json": 231,
        "lheo": 2,
        "lheo_summary": 11,
        "catalogue_apprentissage": 2,
        "cpf_sample": 8,
    }


def test_grand_est_actions_of_the_november_2020_flow(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    [(actions, published, departements, with_coordinates)] = _query(
        data_dir,
        "select count(*), count(*) filter (where is_published), count(distinct departement_code), count(latitude) "
        "from marts.trainings where source = 'rco_apprenticeship_flow' and region_code = '44' and is_in_region",
    )
    assert (actions, published, departements, with_coordinates) == (2506, 1606, 10, 2506)
    by_departement = dict(
        _query(
            data_dir,
            "select departement_code, count(*) from marts.trainings "
            "where source = 'rco_apprenticeship_flow' and region_code = '44' group by 1",
        )
    )
    assert by_departement == {
        "67": 438,
        "54": 410,
        "57": 362,
        "51": 348,
        "68": 252,
        "10": 245,
        "08": 188,
        "88": 148,
        "55": 65,
        "52": 50,
    }


def test_places_and_titles(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    [(placed, not_found, titled)] = _query(
        data_dir,
        "select count(commune_code), count(*) filter (where place_match = 'not_found'), count(title) "
        "from marts.trainings where source = 'rco_apprenticeship_flow'",
    )
    assert (placed, not_found) == (39485, 25)
    assert titled == 39448  # the flow has no title: all but 62 get their certification's or diploma's
    [(commune, departement, region, latitude)] = _query(
        data_dir,
        "select commune_code, departement_code, region_code, latitude from marts.trainings "
        "where training_id = 'lheo:07_123324'",
    )
    assert (commune, departement, region, latitude) == ("37266", "37", "24", pytest.approx(47.306826))
    [(paris_commune, paris_match)] = _query(
        data_dir,
        "select commune_code, place_match from marts.trainings "
        "where training_id = 'lheo_summary:14_AF_0000011179_SE_0000093700'",
    )
    assert (paris_commune, paris_match) == ("75117", "arrondissement")


def test_occupation_links_by_method(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    linked = dict(
        _query(
            data_dir,
            "select link_method, count(distinct training_id) from marts.training_occupations group by 1",
        )
    )
    assert linked == {"catalogue_rome": 22, "rncp_rome": 44312, "cfd_rncp_rome": 1607, "title_similarity": 364}
    # A catalogue's own ROME codes win: the LHEO plaquiste offer keeps F1604 only.
    assert _query(
        data_dir,
        "select rome_code, link_method, confidence from marts.training_occupations "
        "where training_id = 'lheo:07_114782'",
    ) == [("F1604", "catalogue_rome", pytest.approx(1.0))]
    [(total, with_link)] = _query(
        data_dir,
        "select count(*), count(*) filter (where training_id in (select training_id from marts.training_occupations)) "
        "from marts.trainings",
    )
    assert (total, with_link) == (47234, 46305)


def test_skills_and_coverage(built_pipeline: tuple[Path, str]) -> None:
    data_dir, _ = built_pipeline
    [(trainings_with_skills, rows)] = _query(
        data_dir, "select count(distinct training_id), count(*) from marts.training_skills"
    )
    assert trainings_with_skills == 46305 and rows > 1_000_000
    coverage = {
        row[0]: row[1:]
        for row in _query(
            data_dir,
            "select source, trainings_read, trainings_in_region, linked_to_occupation, linked_by_rncp_rome, "
            "linked_by_cfd_rncp_rome, linked_by_title_similarity, with_skills from marts.training_coverage",
        )
    }
    assert coverage["rco_apprenticeship_flow"] == (39510, 2506, 38670, 37101, 1286, 283, 38670)
    assert coverage["rco_offre_info"] == (7470, 279, 7383, 6991, 313, 79, 7383)
    assert coverage["all"][0] == 47234
