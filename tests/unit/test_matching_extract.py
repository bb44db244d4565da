"""The skill extractor's parts that need no warehouse: near-duplicate groups, and the CLI's error
on a bad input file. The extractor itself, fitted on the shared build's warehouse, is tested in
tests/e2e/test_skill_extraction.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from matching.offers import near_duplicate_groups

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def test_near_duplicates_share_a_group() -> None:
    frame = pd.DataFrame(
        {
            "offer_id": ["a", "b", "c", "d"],
            "title": ["Agent d'entretien (H/F)", "AGENT D'ENTRETIEN F/H", "Plombier", "Plombier"],
            "description": ["x", "y", "même texte", "même texte"],
            "rome_code": ["K2204", "K2204", "F1603", "F1604"],
        }
    )
    assert near_duplicate_groups(frame).tolist() == ["a", "a", "c", "c"]


def test_copies_in_different_chunks_share_a_group(snapshot_dir: Path) -> None:
    """Texts are folded a chunk of EXTRACTION.chunk_offers at a time; groups span the chunks."""
    from ingestion import france_travail
    from matching.config import EXTRACTION

    parsed = france_travail.parse_job_offers(snapshot_dir).rows
    offers = parsed.rename(columns={"intitule": "title"})[["offer_id", "title", "description", "rome_code"]]
    count = len(offers)
    assert count < EXTRACTION.chunk_offers < 3 * count
    # three copies, each with a new id, the second with its whitespace doubled
    copies = pd.concat(
        [
            offers.assign(offer_id=offers["offer_id"] + "-a"),
            offers.assign(offer_id=offers["offer_id"] + "-b", description=offers["description"].str.replace(" ", "  ")),
            offers.assign(offer_id=offers["offer_id"] + "-c"),
        ],
        ignore_index=True,
    )
    groups = near_duplicate_groups(copies).to_numpy()
    assert (groups[:count] == groups[count : 2 * count]).all() and (groups[:count] == groups[2 * count :]).all()
    assert len(set(groups)) == near_duplicate_groups(offers).nunique()


def test_cli_names_the_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "offers.json"
    bad.write_text('{"offres": []}', encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "matching.extract",
            "--input",
            str(bad),
            "--output",
            str(tmp_path / "out.csv"),
            "--warehouse",
            str(tmp_path / "no_warehouse.duckdb"),
        ],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 2
    assert str(bad) in completed.stderr and "resultats" in completed.stderr
    assert not (tmp_path / "out.csv").exists()


def test_the_evaluation_and_the_fit_read_at_most_their_limit_by_whole_groups(snapshot_dir: Path) -> None:
    from ingestion import france_travail
    from matching.offers import bounded_by_group, place_offers

    parsed = france_travail.parse_job_offers(snapshot_dir).rows
    offers = parsed.rename(columns={"intitule": "title"})[["offer_id", "title", "description", "rome_code"]]
    placed, _ = place_offers(
        offers, pd.DataFrame({"offer_id": pd.Series(dtype=str), "skill_code": pd.Series(dtype=int)})
    )
    per_split = placed["split"].value_counts()
    # the bundled offers are under the limit the pipeline uses: all read, so EVALUATION.md holds
    assert bounded_by_group(placed, 20_000, per="split") is placed
    assert bounded_by_group(placed, 20_000) is placed
    limit = int(per_split.min()) // 2
    bounded = bounded_by_group(placed, limit, per="split")
    counts = bounded["split"].value_counts()
    assert set(counts.index) == set(per_split.index)
    assert (counts <= limit).all() and (counts > limit * 0.9).all()
    # whole near-duplicate groups only, and the same offers whatever the row order
    kept_groups = placed[placed["group"].isin(set(bounded["group"]))]
    assert len(kept_groups) == len(bounded)
    shuffled = bounded_by_group(placed.sample(frac=1, random_state=7), limit, per="split")
    assert set(shuffled["offer_id"]) == set(bounded["offer_id"])
    # without a column to bound by (the fit's sample): the limit holds over all the offers
    whole = bounded_by_group(placed, limit)
    assert limit * 0.9 < len(whole) <= limit
    assert len(placed[placed["group"].isin(set(whole["group"]))]) == len(whole)
