"""Offers in the France Travail API format, read for extraction, and the fixed tuning/report split.

The split and the cross-fitting folds are drawn per near-duplicate group (same normalised title
and ROME code, or same text), never per offer, so that no copy of an offer sits on the other side.
The extractor learns from the warehouse's postings (:mod:`matching.extractor_inputs`); their text
and their recruiters' coded ``competences`` come from two separate tables on purpose: only the
evaluation and the tuning step read the labels. :func:`offers_frame` reads offers handed to the
command line (``python -m matching.extract``), text only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ingestion.errors import SourceFileError
from ingestion.readers.files import read_json
from matching.config import EXTRACTION
from matching.text import fold

OFFER_COLUMNS = ["offer_id", "title", "description", "rome_code"]

TUNING = "tuning"
REPORT = "report"
# Folds of the cross-fitting (out-of-fold priors and models) and of the cross-validation that
# chooses the extractor's settings on the tuning part.

# "(H/F)", "F/H", "h / f": gender marks that make two copies of one title look different.
_GENDER_MARK = r"\(?\b[hf] ?/ ?[hf]\b\)?"


def split_of(key: str) -> str:
    """The fixed split of a key: even first byte of sha256(key) -> tuning, odd -> report.

    A hash of the key (not a random draw, not the file order) keeps an item in the same part
    whatever file or run it comes from. Offers are split by the id of their near-duplicate
    group (:func:`near_duplicate_groups`), never one by one; trainings by their evaluation unit
    (:mod:`matching.training_text`). The one split of every evaluation in ``matching``.
    """
    return TUNING if hashlib.sha256(key.encode("utf-8")).digest()[0] % 2 == 0 else REPORT


def fold_of(group_id: str) -> int:
    """The cross-fitting fold (0 to EXTRACTION.folds - 1) of a near-duplicate group, from its id's hash."""
    return hashlib.sha256(group_id.encode("utf-8")).digest()[1] % EXTRACTION.folds


def normalised_titles(titles: pd.Series) -> pd.Series:
    """Titles folded (case, accents), without gender marks and punctuation: "Agent (H/F)" -> "agent"."""
    folded = titles.fillna("").astype(str).map(fold)
    return folded.str.replace(_GENDER_MARK, " ", regex=True).str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()


def near_duplicate_groups(frame: pd.DataFrame) -> pd.Series:
    """For each offer (offer_id, title, description, rome_code), the id of its near-duplicate group.

    Two offers are near duplicates when they share the normalised title and the ROME code, or
    have the same text (title and description, whitespace folded); groups are the connected
    components of that relation, named by their smallest offer id. A split or a fold that keeps
    a group on one side never scores an offer with a model that saw its copy's labels.
    """
    count = len(frame)
    if count == 0:
        return pd.Series([], dtype=str, index=frame.index)
    titles = normalised_titles(frame["title"])
    rome_codes = frame["rome_code"].fillna("").astype(str)
    texts = (frame["title"].fillna("") + "\n" + frame["description"].fillna("")).astype(str)
    # Whitespace folded a chunk at a time: the words of every text at once took 1.8 GB per 100,000
    # offers, and a million postings' ran a 24 GB machine out of memory.
    texts = pd.concat(
        [
            texts.iloc[start : start + EXTRACTION.chunk_offers].str.split().str.join(" ")
            for start in range(0, count, EXTRACTION.chunk_offers)
        ]
    )
    title_keys, _ = pd.factorize(titles + "\x1f" + rome_codes)
    text_keys, _ = pd.factorize(texts)
    # An empty title or text links nothing: each such offer keeps a key of its own.
    title_keys = np.where(titles.to_numpy() == "", -1 - np.arange(count), title_keys)
    text_keys = np.where(texts.to_numpy() == "", -1 - np.arange(count), text_keys)
    _, title_nodes = np.unique(title_keys, return_inverse=True)
    _, text_nodes = np.unique(text_keys, return_inverse=True)
    offset_text = count + int(title_nodes.max()) + 1
    nodes = offset_text + int(text_nodes.max()) + 1
    rows = np.concatenate([np.arange(count), np.arange(count)])
    cols = np.concatenate([count + title_nodes, offset_text + text_nodes])
    graph = sparse.coo_matrix((np.ones(2 * count), (rows, cols)), shape=(nodes, nodes))
    _, component = connected_components(graph, directed=False)
    ids = frame["offer_id"].astype(str)
    return ids.groupby(component[:count]).transform("min").set_axis(frame.index)


def bounded_by_group(offers: pd.DataFrame, limit: int, per: str | None = None) -> pd.DataFrame:
    """At most ``limit`` offers (of each value of column ``per`` when given), by whole
    near-duplicate groups (column ``group``): the groups are taken in the order of a fixed hash of
    their id (the same offers every run, whatever the row order) while their running total stays
    within the limit. Below the limit, ``offers`` itself."""
    parts = offers[per] if per is not None else pd.Series(0, index=offers.index)
    if offers.empty or parts.value_counts().max() <= limit:
        return offers
    hashed = pd.DataFrame(
        {
            "part": parts.to_numpy(),
            "hash": pd.util.hash_pandas_object(offers["group"].astype("string"), index=False).to_numpy(),
        }
    )
    groups = hashed.groupby(["part", "hash"]).size().rename("offers").reset_index().sort_values(["part", "hash"])
    groups["running_total"] = groups.groupby("part")["offers"].cumsum()
    kept = groups.loc[groups["running_total"] <= limit].set_index(["part", "hash"]).index
    return offers.loc[pd.MultiIndex.from_frame(hashed).isin(kept)]


def load_api_offers(path: Path) -> list[dict]:
    """The offer objects of one file: a JSON array, or an API page ``{"resultats": [...]}``."""
    data, _ = read_json(path, 'a JSON array of offers or an object with "resultats"')
    if isinstance(data, dict) and "resultats" in data:
        data = data["resultats"]
    if not isinstance(data, list):
        raise SourceFileError(
            path,
            "top level",
            'a JSON array of offers or an object with "resultats"',
            type(data).__name__,
        )
    for position, offer in enumerate(data):
        if not isinstance(offer, dict) or "id" not in offer:
            raise SourceFileError(path, f"offer {position}", 'an object with an "id"', repr(offer)[:80])
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


def place_offers(offers: pd.DataFrame, labels: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``offers`` (offer_id, title, description, rome_code) with their ``group`` (near-duplicate
    group), ``split`` and ``fold`` (both of the group); ``labels`` (offer_id, skill_code) with
    their offer's ``split`` and ``fold``."""
    offers = offers.copy()
    offers["group"] = near_duplicate_groups(offers)
    offers["split"] = offers["group"].map(split_of)
    offers["fold"] = offers["group"].map(fold_of).astype("int64")
    placement = offers.set_index("offer_id")[["split", "fold"]]
    labels = labels.join(placement, on="offer_id")
    return offers, labels
