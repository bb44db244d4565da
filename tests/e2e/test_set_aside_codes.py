"""A well-formed code that no referential holds is set aside with its reason, never fatal, never lost.

The raw zone of the shared build, with one day of offers landed again (the real Dagster asset, in
snapshot mode) from a copy of its bundled file in which one offer gives a ROME code that is no
ROME fiche and another a commune code that is no COG commune. The dbt models from the sources to
job_postings, occupation_demand and set_aside_values are then built by their Dagster assets, dbt
tests included, on a new warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

DAY = "2024-11-16"
OFFERS_FILE = Path("france_travail_offres_more") / (
    "DERIVED_nocontact_vimchun_offres_404939_biostatisticien_178_2024-11-30.json"
)
UNKNOWN_ROME_OFFER, UNKNOWN_ROME = "7653443", "N9999"  # a biostatistician in Vincennes, K2404 as published
UNKNOWN_COMMUNE_OFFER, UNKNOWN_COMMUNE = "7696972", "13999"  # "13 - AIX EN PROVENCE", 13001 as published
BUILT_MODELS = ("job_postings", "occupation_demand", "set_aside_values")


def _snapshot_with_unknown_codes(snapshot_dir: Path, target: Path) -> Path:
    offers = json.loads((snapshot_dir / OFFERS_FILE).read_text(encoding="utf-8"))
    edited = {offer["id"]: offer for offer in offers}
    assert edited[UNKNOWN_ROME_OFFER]["dateCreation"][:10] == DAY
    assert edited[UNKNOWN_COMMUNE_OFFER]["dateCreation"][:10] == DAY
    edited[UNKNOWN_ROME_OFFER]["romeCode"] = UNKNOWN_ROME
    edited[UNKNOWN_COMMUNE_OFFER]["lieuTravail"] = dict(
        edited[UNKNOWN_COMMUNE_OFFER]["lieuTravail"], commune=UNKNOWN_COMMUNE
    )
    path = target / OFFERS_FILE
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(offers, ensure_ascii=False), encoding="utf-8")
    return target


def _raw_zone_of_the_build_but_the_day(built: Path, work: Path) -> None:
    """work/raw links every landed table of the build, except the offers of DAY; derived (the
    extractor's outputs, which dbt reads as sources) links the build's."""
    for source in (built / "raw").iterdir():
        if source.name != "france_travail":
            (work / "raw" / source.name).parent.mkdir(parents=True, exist_ok=True)
            (work / "raw" / source.name).symlink_to(source, target_is_directory=True)
            continue
        for table in source.iterdir():
            for partition in table.iterdir():
                if partition.name != DAY:
                    linked = work / "raw" / source.name / table.name / partition.name
                    linked.parent.mkdir(parents=True, exist_ok=True)
                    linked.symlink_to(partition, target_is_directory=True)
    (work / "derived").symlink_to(built / "derived", target_is_directory=True)


def rebuild_with_unknown_codes(
    built: Path, snapshot_dir: Path, scratch: Path
) -> tuple[Path, dg.ExecuteInProcessResult]:
    """Land DAY from the edited file with the real offers asset, then build the dbt models from the
    sources to BUILT_MODELS with their Dagster assets (dbt tests included) in ``scratch/data``."""
    from orchestration.assets.dbt import dbt_model_keys, passerelle_dbt_stages
    from orchestration.assets.offers import france_travail_job_offers
    from orchestration.resources import PasserellePaths, build_resources, dbt_project

    work = scratch / "data"
    snapshot = _snapshot_with_unknown_codes(snapshot_dir, scratch / "snapshot")
    _raw_zone_of_the_build_but_the_day(built, work)
    resources = {
        **build_resources(),
        "paths": PasserellePaths(data_dir=str(work), snapshot_dir=str(snapshot), region="44"),
    }
    with dg.DagsterInstance.ephemeral() as instance:
        landed = dg.materialize([france_travail_job_offers], partition_key=DAY, resources=resources, instance=instance)
        assert landed.success
        assert [event.partition for event in landed.get_asset_materialization_events()] == [DAY]
        # dbt's profile and sources read the data directory from the environment
        with pytest.MonkeyPatch.context() as environment:
            environment.setenv("PASSERELLE_DATA_DIR", str(work))
            manifest = json.loads(dbt_project.manifest_path.read_text())
            definitions = dg.Definitions(assets=[*passerelle_dbt_stages], resources=resources)
            job = definitions.resolve_implicit_global_asset_job_def()
            result = job.execute_in_process(
                instance=instance,
                asset_selection=dbt_model_keys(*_models_upstream(manifest, BUILT_MODELS)),
                raise_on_error=False,
            )
    return work, result


@pytest.fixture(scope="module")
def rebuilt(
    built_pipeline: tuple[Path, str], snapshot_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dg.ExecuteInProcessResult]:
    return rebuild_with_unknown_codes(built_pipeline[0], snapshot_dir, tmp_path_factory.mktemp("unknown_codes"))


def _models_upstream(manifest: dict, names: tuple[str, ...]) -> list[str]:
    """The models (and seeds) the named models are built from, and themselves."""
    by_name = {node["name"]: unique_id for unique_id, node in manifest["nodes"].items()}
    found: set[str] = set()
    pending = [by_name[name] for name in names]
    while pending:
        unique_id = pending.pop()
        if unique_id in found or not unique_id.startswith(("model.", "seed.")):
            continue
        found.add(unique_id)
        pending.extend(manifest["parent_map"].get(unique_id, []))
    return sorted(manifest["nodes"][unique_id]["name"] for unique_id in found)


def test_unknown_codes_are_set_aside_and_the_marts_build(rebuilt: tuple[Path, dg.ExecuteInProcessResult]) -> None:
    work, result = rebuilt
    assert result.success
    materialized = {tuple(event.asset_key.path) for event in result.get_asset_materialization_events()}
    assert {("marts", name) for name in BUILT_MODELS} <= materialized
    checks = {
        (tuple(evaluation.asset_check_key.asset_key.path), evaluation.asset_check_key.name): evaluation.passed
        for evaluation in result.get_asset_check_evaluations()
    }
    # the test that used to fail: every rome_code kept in job_postings is a fiche of occupations
    [relationship] = [
        key
        for key in checks
        if key[0] == ("marts", "job_postings") and key[1].startswith("relationships_job_postings_rome_code")
    ]
    assert checks[relationship] is True
    assert [key for key, passed in checks.items() if not passed] == []

    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as warehouse:
        postings = warehouse.execute(
            "select posting_id, rome_code, source_rome_code, occupation_code_status, commune_code, "
            "source_commune_code, departement_code, location_match from marts.job_postings "
            "where posting_id in (?, ?) order by posting_id",
            [UNKNOWN_COMMUNE_OFFER, UNKNOWN_ROME_OFFER],
        ).fetchall()
        set_aside = warehouse.execute(
            "select source, table_name, record_id, field, value, reason, source_file from marts.set_aside_values "
            "where record_id in (?, ?) order by record_id",
            [UNKNOWN_COMMUNE_OFFER, UNKNOWN_ROME_OFFER],
        ).fetchall()
        # still counted: the region-level total of its month holds it, no occupation row does
        counted = warehouse.execute(
            "select count(*) from intermediate.int_job_postings_territories_unpivoted "
            "where posting_id = ? and territory_level = 'departement' and territory_code = '94' and rome_code is null",
            [UNKNOWN_ROME_OFFER],
        ).fetchone()
        unknown_rows = warehouse.execute(
            "select count(*) from marts.occupation_demand where rome_code = ? or rome_code is null", [UNKNOWN_ROME]
        ).fetchone()

    assert postings == [
        (UNKNOWN_ROME_OFFER, None, UNKNOWN_ROME, "unknown_to_rome", "94080", "94080", "94", "commune"),
        (UNKNOWN_COMMUNE_OFFER, "H1501", "H1501", "known", None, UNKNOWN_COMMUNE, "13", "departement_label"),
    ]
    assert set_aside == [
        (
            "france_travail",
            "job_offers",
            UNKNOWN_ROME_OFFER,
            "rome_code",
            UNKNOWN_ROME,
            "unknown_to_rome",
            OFFERS_FILE.name,
        ),
        (
            "france_travail",
            "job_offers",
            UNKNOWN_COMMUNE_OFFER,
            "lieu_travail_commune",
            UNKNOWN_COMMUNE,
            "unknown_to_cog",
            OFFERS_FILE.name,
        ),
    ]
    assert counted == (1,)
    assert unknown_rows == (0,)
