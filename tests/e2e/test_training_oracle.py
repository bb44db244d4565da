"""The pipeline's own joins on the RCO national flow, compared with the collection-time answer key.

The CSV copy of the flow carries columns computed when it was collected (COG 2024 region and
département, Kit v1.4 RNCP, level and ROME codes). The parser drops them; this test reads them
straight from the bundled file and compares them, row by row, with what the pipeline computed
from the raw columns and the referentials.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingestion import rco

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def compared(built_pipeline: tuple[Path, str], snapshot_dir: Path) -> pd.DataFrame:
    oracle = pd.read_csv(snapshot_dir / rco.FOLDER / f"{rco.FLOW_FILE}.gz", dtype=str, keep_default_na=False)
    oracle["_row_number"] = range(1, len(oracle) + 1)
    data_dir, _ = built_pipeline
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        computed = connection.execute(
            """
            select
                trainings._row_number, trainings.region_code, trainings.departement_code, trainings.place_match,
                trainings.rncp_code as computed_rncp_code, trainings.rncp_origin, trainings.eu_level,
                string_agg(links.rome_code, ';' order by links.rome_code) as rome_codes
            from marts.trainings as trainings
            left join marts.training_occupations as links
                on trainings.training_id = links.training_id
                -- The oracle is a table join: title-similarity links (a text method) are not in it.
                and links.link_method <> 'title_similarity'
            where trainings.source = 'rco_apprenticeship_flow'
            group by all
            """
        ).fetchdf()
    merged = oracle.merge(computed, on="_row_number", how="outer", validate="one_to_one", indicator=True)
    assert (merged["_merge"] == "both").all()
    merged["oracle_romes"] = (
        merged["rome_codes_via_rncp_kit_v1_4"].str.split(";").map(lambda codes: ";".join(sorted(c for c in codes if c)))
    )
    merged["rome_codes"] = merged["rome_codes"].fillna("")
    return merged


def test_place_of_training_matches_cog_2024_join(compared: pd.DataFrame) -> None:
    assert (compared["region_code"].fillna("") == compared["lieu_reg_cog2024"]).all()
    assert (compared["departement_code"].fillna("") == compared["lieu_dep_cog2024"]).all()
    how = compared["place_match"].replace(
        {
            "commune": "COM",
            "arrondissement": "ARM",
            "commune_deleguee": "via_COMPARENT",
            "commune_associee": "via_COMPARENT",
        }
    )
    assert (
        how.value_counts().to_dict()
        == compared["lieu_geo_match"].value_counts().to_dict()
        == {"COM": 37538, "ARM": 1914, "via_COMPARENT": 33, "not_found": 25}
    )
    assert (compared["lieu_reg_cog2024"] == "44").sum() == 2506


def test_rncp_and_level_agree_wherever_the_kit_v14_answers(compared: pd.DataFrame) -> None:
    oracle_rncp = compared["rncp_used"].replace({"NR": ""})
    from_v14_or_catalogue = compared["rncp_origin"].isin(["catalogue", "cfd_kit_v1_4"])
    agree = compared["computed_rncp_code"].fillna("") == oracle_rncp
    assert agree[from_v14_or_catalogue].all()
    # The only other rows: 948 that only the 2025 Kit links to a (newer) fiche, 27 with no fiche at all.
    assert compared.loc[~from_v14_or_catalogue, "rncp_origin"].fillna("none").value_counts().to_dict() == {
        "cfd_kit_2025": 948,
        "none": 27,
    }
    level = compared["eu_level"].astype("string").fillna("")
    level_agree = level == compared["niveau_europe"].str.removeprefix("niveau")
    # 19 rows differ: their fiche is absent from rncp_info (no oracle level); the level comes from the diploma's Kit row.
    assert (level_agree[from_v14_or_catalogue].sum(), from_v14_or_catalogue.sum()) == (38516, 38535)


def test_rome_codes_agree_with_the_kit_v14_join(compared: pd.DataFrame) -> None:
    with_rome = compared["rome_codes"] != ""
    oracle_with_rome = compared["oracle_romes"] != ""
    assert (with_rome.sum(), oracle_with_rome.sum()) == (38387, 38334)
    same_set = compared["rome_codes"] == compared["oracle_romes"]
    assert same_set.sum() == 39457
    # Every disagreement is a row the oracle left without ROME and the cascade filled via the CFD.
    assert (~oracle_with_rome[~same_set]).all()
    grand_est = compared["lieu_reg_cog2024"] == "44"
    assert (oracle_with_rome & grand_est).sum() == 2429
    assert (with_rome & grand_est).sum() == 2431
    assert (same_set & grand_est).sum() == 2504
