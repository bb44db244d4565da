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
