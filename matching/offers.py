"""Offers in the France Travail API format, read for extraction, and the fixed tuning/report split.

Text and labels are read by two separate functions on purpose: :func:`read_offers` returns only
what the extractor may see (id, title, description, ROME code); :func:`read_labels` returns the
recruiters' own coded ``competences``, which only the evaluation and the tuning step read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ingestion.errors import SourceFileError
from ingestion.files import decode

OFFER_COLUMNS = ["offer_id", "title", "description", "rome_code"]

# The bundled offer files in API format (JSON arrays), relative to the snapshot directory.
BUNDLED_OFFER_GLOBS = (
    "france_travail_offres/*.json",
    "france_travail_offres_more/*.json",
    "france_travail_offres_national_2026/*.json",
)

TUNING = "tuning"
REPORT = "report"


def split_of(offer_id: str) -> str:
    """The fixed split of an offer: even first byte of sha256(id) -> tuning, odd -> report.

    A hash of the id (not a random draw, not the file order) keeps an offer in the same part
    whatever file or run it comes from.
    """
    return TUNING if hashlib.sha256(offer_id.encode("utf-8")).digest()[0] % 2 == 0 else REPORT


def bundled_offer_files(snapshot_dir: Path) -> list[Path]:
    return sorted(path for pattern in BUNDLED_OFFER_GLOBS for path in snapshot_dir.glob(pattern))


def load_api_offers(path: Path) -> list[dict]:
    """The offer objects of one file: a JSON array, or an API page ``{"resultats": [...]}``."""
    text = decode(path).text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceFileError(
            path, f"line {error.lineno} column {error.colno}", "JSON", error.msg
        ) from error
    if isinstance(data, dict) and "resultats" in data:
        data = data["resultats"]
    if not isinstance(data, list):
        raise SourceFileError(
            path, "top level", 'a JSON array of offers or an object with "resultats"',
            type(data).__name__,
        )
    for position, offer in enumerate(data):
        if not isinstance(offer, dict) or "id" not in offer:
            raise SourceFileError(
                path, f"offer {position}", 'an object with an "id"', repr(offer)[:80]
            )
    return data


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def offers_frame(offers: Iterable[dict]) -> pd.DataFrame:
    """offer_id, title, description, rome_code of API offers; nothing else is read."""
    rows = [
        (
            str(offer["id"]),
            _text(offer.get("intitule")),
            _text(offer.get("description")),
            _text(offer.get("romeCode")),
        )
        for offer in offers
    ]
    return pd.DataFrame(rows, columns=OFFER_COLUMNS).astype(str)


def labels_frame(offers: Iterable[dict]) -> pd.DataFrame:
    """offer_id, skill_code, requirement: the coded entries of each offer's ``competences``.

    Entries without a ``code`` are free text written by the recruiter, not labels.
    """
    rows = [
        (str(offer["id"]), int(entry["code"]), entry.get("exigence"))
        for offer in offers
        for entry in (offer.get("competences") or [])
        if isinstance(entry, dict) and str(entry.get("code") or "").isdigit()
    ]
    frame = pd.DataFrame(rows, columns=["offer_id", "skill_code", "requirement"])
    return frame.drop_duplicates(["offer_id", "skill_code"]).astype({"skill_code": "int64"})


def read_offers(paths: Iterable[Path]) -> pd.DataFrame:
    """The extractor's input for the given API files; an id seen twice keeps its first copy."""
    frames = [offers_frame(load_api_offers(path)) for path in paths]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OFFER_COLUMNS)
    return frame.drop_duplicates("offer_id").reset_index(drop=True)


def read_labels(paths: Iterable[Path]) -> pd.DataFrame:
    frames = [labels_frame(load_api_offers(path)) for path in paths]
    frame = pd.concat(frames, ignore_index=True)
    return frame.drop_duplicates(["offer_id", "skill_code"]).reset_index(drop=True)


def bundled(snapshot_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(offers, labels) of the bundled snapshot, each with a ``split`` column."""
    files = bundled_offer_files(snapshot_dir)
    offers = read_offers(files)
    labels = read_labels(files)
    offers["split"] = offers["offer_id"].map(split_of)
    labels["split"] = labels["offer_id"].map(split_of)
    return offers, labels
