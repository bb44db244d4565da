"""The scale generator (bench.generate): deterministic, resampled from the bundled offers, readable
by the offers parser as a snapshot."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from bench.generate import bundled_offers, generate, workplaces, write_snapshot
from ingestion import france_travail


@pytest.mark.slow  # reads the COG, positions and jobseekers files (~10 s)
def test_same_seed_same_bytes_and_offers_spread_over_the_jobseekers_communes(
    snapshot_dir: Path, tmp_path: Path
) -> None:
    first = write_snapshot(tmp_path / "a", 1200, seed=7, snapshot_dir=snapshot_dir)
    again = write_snapshot(tmp_path / "b", 1200, seed=7, snapshot_dir=snapshot_dir)
    other = write_snapshot(tmp_path / "c", 1200, seed=8, snapshot_dir=snapshot_dir)
    digest = [hashlib.sha256(path.read_bytes()).hexdigest() for path in (first[0], again[0], other[0])]
    assert digest[0] == digest[1] != digest[2]

    offers = json.loads(first[0].read_text(encoding="utf-8"))
    templates = {offer["intitule"] for offer in bundled_offers(snapshot_dir)}
    assert len(offers) == 1200 and len({offer["id"] for offer in offers}) == 1200
    assert {offer["intitule"] for offer in offers} <= templates  # every offer is a real one resampled
    assert len({offer["description"] for offer in offers}) == 1200  # no two texts identical
    days = {offer["dateCreation"][:10] for offer in offers}
    assert min(days) >= "2025-05-05" and max(days) <= "2026-05-04"
    # Workplaces follow jobseekers: Paris (75) draws more offers than the Creuse (23).
    departements = [offer["lieuTravail"]["libelle"][:2] for offer in offers]
    assert departements.count("75") > departements.count("23")
    places = workplaces(snapshot_dir)
    assert len(places.codes) > 34_000 and abs(places.probabilities.sum() - 1) < 1e-9

    # The generated folder is a snapshot the offers parser reads whole: 1,200 offers, none rejected.
    parsed = france_travail.parse_job_offers(tmp_path / "a")
    assert (len(parsed.rows), len(parsed.rejects)) == (1200, 0)


def test_the_window_is_respected(snapshot_dir: Path) -> None:
    offers = list(generate(50, seed=3, snapshot_dir=snapshot_dir, end=date(2025, 1, 31), days=31))
    assert {offer["dateCreation"][:7] for offer in offers} == {"2025-01"}
    assert [offer["id"] for offer in offers][:2] == ["S0300000000", "S0300000001"]
