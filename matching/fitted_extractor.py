"""The cross-fitted skill extractor kept between runs, and scoring only the postings not yet scored by it.

:class:`matching.extract.CrossFitted` is fitted on every labelled posting. Fitted again every
night, it would move the scores of every posting of the history, and a night would cost the whole
history. So the fitted extractor is an artefact: fitted once, saved with the evaluation made with
it, named by a hash of what it was fitted on (``extractor_id``), and kept until a run asks for a
refit or the ROME referential it was built on changes. A night scores only the postings whose
text, ROME code or fold differ from those it scored them with (new offers, re-read offers whose
words changed, an offer whose near-duplicate group now takes another fold); every other posting
keeps its rows. Scoring every posting with the same artefact gives the same rows
(tests/e2e/test_incremental_nights.py).

Leak-free as the cross-fitting is: a posting the artefact was fitted on is scored by its own
fold's models, which never saw its labels; a posting it was not fitted on is scored by the fold
of its near duplicates among the fitted ones (:meth:`CrossFitted.folds_of`), or any fold when it
has none, all of which never saw it. One case remains: a new posting that is a near duplicate of
fitted postings of two different folds takes the fold of the smallest id, whose models saw the
other duplicates' labels; a refit puts the whole group in one fold again.

The artefact is a pickle of our own objects, written and read only by the pipeline under
``derived/matching/fitted_extractor/current/``, swapped atomically like every derived table.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd

from ingestion.landing import (
    DERIVED_ZONE,
    INGESTED_AT,
    PARQUET_NAME,
    SCRATCH_FOLDER,
    partition_path,
    remove_path,
    replace_directory,
    scratch_folder,
)
from matching.config import EXTRACTION
from matching.evaluation import Evaluation, evaluate
from matching.extract import CrossFitted, SkillExtractor
from matching.extractor_inputs import ExtractorInputs
from matching.offers import OFFER_COLUMNS, bounded_by_group

ARTEFACT_TABLE = "fitted_extractor"
ARTEFACT_FILE = "cross_fitted.pkl"
DESCRIPTION_FILE = "fitted_extractor.json"
# What each posting was scored with: posting_id, input_hash (its text, ROME code and fold), extractor_id.
SCORED_COLUMNS = ["posting_id", "input_hash", "extractor_id"]


def _frames_hash(*frames: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for frame in frames:
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def referential_id(inputs: ExtractorInputs) -> str:
    """A hash of the ROME items, the items of each fiche, the bridged ESCO labels and the fiches'
    names: the dictionary and the occupation features an extractor is built on."""
    return _frames_hash(inputs.items, inputs.occupation_items, inputs.esco_labels, inputs.occupation_labels)


def fit_id(inputs: ExtractorInputs) -> str:
    """A hash of everything a fit reads: the referential, the postings (text, ROME code) and their labels."""
    return _frames_hash(
        inputs.items,
        inputs.occupation_items,
        inputs.esco_labels,
        inputs.occupation_labels,
        inputs.offers[OFFER_COLUMNS],
        inputs.labels[["offer_id", "skill_code"]],
    )


@dataclass
class FittedExtractor:
    """A cross-fitted extractor, the evaluation made when it was fitted, and what it was fitted on."""

    extractor_id: str  # fit_id of its inputs
    referential_id: str
    postings_fitted: int
    labels_fitted: int
    cross_fitted: CrossFitted
    evaluation: Evaluation

    @classmethod
    def fit(cls, inputs: ExtractorInputs, max_postings: int = EXTRACTION.max_fitted_postings) -> FittedExtractor:
        """Cross-fitted on at most ``max_postings`` of the postings (:func:`fitting_sample`),
        evaluated on its own bounded splits of all of them (:func:`matching.evaluation.evaluate`)."""
        base = SkillExtractor.from_inputs(inputs)
        sample = fitting_sample(inputs, max_postings)
        return cls(
            extractor_id=fit_id(sample),
            referential_id=referential_id(inputs),
            postings_fitted=len(sample.offers),
            labels_fitted=len(sample.labels),
            cross_fitted=CrossFitted.from_inputs(sample, base),
            evaluation=evaluate(inputs, base),
        )

    def describe(self) -> dict[str, object]:
        return {
            "extractor_id": self.extractor_id,
            "referential_id": self.referential_id,
            "postings_fitted": self.postings_fitted,
            "labels_fitted": self.labels_fitted,
        }


def fitting_sample(inputs: ExtractorInputs, max_postings: int) -> ExtractorInputs:
    """``inputs`` with at most ``max_postings`` postings, by whole near-duplicate groups in a
    fixed hash order, and the labels of those only: what a fit reads, so that its time and memory
    stay bounded whatever the history holds. A posting left out is scored like a new one, by the
    models of its group's hashed fold, none of which saw it (:meth:`CrossFitted.folds_of`)."""
    offers = bounded_by_group(inputs.offers, max_postings)
    if offers is inputs.offers:
        return inputs
    labels = inputs.labels[inputs.labels["offer_id"].isin(set(offers["offer_id"]))]
    return replace(inputs, offers=offers.reset_index(drop=True), labels=labels.reset_index(drop=True))


def artefact_path(data_dir: Path) -> Path:
    return partition_path(data_dir, DERIVED_ZONE, "matching", ARTEFACT_TABLE, "current")


def load_fitted(data_dir: Path) -> FittedExtractor | None:
    """The kept extractor, or None when none was saved yet."""
    path = artefact_path(data_dir) / ARTEFACT_FILE
    if not path.exists():
        return None
    with path.open("rb") as handle:
        fitted = pickle.load(handle)  # noqa: S301 - our own artefact, written by save_fitted below
    if not isinstance(fitted, FittedExtractor):
        raise TypeError(f"{path}: expected a pickled FittedExtractor, found {type(fitted).__name__}")
    return fitted


def save_fitted(data_dir: Path, fitted: FittedExtractor) -> Path:
    """Write the artefact and its description to a scratch folder, then swap it in atomically."""
    scratch = scratch_folder(data_dir / DERIVED_ZONE / SCRATCH_FOLDER, f"matching.{ARTEFACT_TABLE}")
    try:
        with (scratch / ARTEFACT_FILE).open("wb") as handle:
            pickle.dump(fitted, handle, protocol=pickle.HIGHEST_PROTOCOL)
        (scratch / DESCRIPTION_FILE).write_text(json.dumps(fitted.describe(), indent=2) + "\n")
        final = artefact_path(data_dir)
        replace_directory(scratch, final)
        return final
    finally:
        remove_path(scratch)


def input_hashes(postings: pd.DataFrame, folds: np.ndarray) -> pd.Series:
    """Per posting, a hash of what its rows depend on besides the extractor: text, ROME code, fold."""
    keyed = postings[OFFER_COLUMNS].fillna("").astype(str).assign(fold=folds)
    return pd.util.hash_pandas_object(keyed, index=False).astype("int64").set_axis(postings.index)


@dataclass(frozen=True)
class Scored:
    skills: pd.DataFrame  # posting_id + matching.extract.OUTPUT_COLUMNS but offer_id
    occupations: pd.DataFrame  # posting_id, inferred_rome_code, inferred_rome_confidence
    scored: pd.DataFrame  # SCORED_COLUMNS, one row per posting
    rescored: int  # postings scored by this run


# The extractor each worker process of apply_in_processes holds, sent once when the worker starts.
_worker_extractor: CrossFitted | None = None


def _hold_extractor(cross_fitted: CrossFitted) -> None:
    global _worker_extractor  # noqa: PLW0603 - one extractor per worker process, set by its initializer
    _worker_extractor = cross_fitted


def _apply_slice(frame: pd.DataFrame, folds: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    assert _worker_extractor is not None, "a worker process of apply_in_processes holds the extractor"
    return _worker_extractor.apply(frame, folds=folds)


def apply_in_processes(
    cross_fitted: CrossFitted,
    frame: pd.DataFrame,
    folds: np.ndarray,
    processes: int,
    min_postings_per_process: int = EXTRACTION.min_postings_per_process,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``cross_fitted.apply(frame, folds)``, over contiguous slices of ``frame`` in up to
    ``processes`` worker processes. A posting's rows depend on nothing but the posting, and
    :meth:`CrossFitted.apply` orders rows by input position first, so the slices' outputs put
    end to end are the one-process output, row for row. Fewer than ``min_postings_per_process``
    postings per process: one process (starting a worker costs more than it saves)."""
    workers = min(processes, len(frame) // max(min_postings_per_process, 1))
    if workers <= 1:
        return cross_fitted.apply(frame, folds=folds)
    # Four slices per worker, so that a slow slice does not leave the other worker idle at the end.
    bounds = np.linspace(0, len(frame), workers * 4 + 1).astype(int)
    slices = [(frame.iloc[start:end], folds[start:end]) for start, end in zip(bounds[:-1], bounds[1:], strict=True)]
    # spawn, not fork: the calling process may hold DuckDB or Dagster threads, which fork would copy mid-state.
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_hold_extractor, initargs=(cross_fitted,)
    ) as pool:
        parts = list(pool.map(_apply_slice, *zip(*slices, strict=True)))
    skills = pd.concat([part[0] for part in parts], ignore_index=True)
    occupations = pd.concat([part[1] for part in parts], ignore_index=True)
    return skills, occupations


def score(
    fitted: FittedExtractor,
    postings: pd.DataFrame,
    previous: Scored | None,
    processes: int = 1,
) -> Scored:
    """Rows of every posting of ``postings`` (offer_id, title, description, rome_code): those of
    ``previous`` for a posting scored there with the same input hash and extractor, new ones
    for the others, scored in up to ``processes`` worker processes (:func:`apply_in_processes`).
    ``previous`` None scores every posting."""
    postings = postings[OFFER_COLUMNS].fillna("").astype(str).reset_index(drop=True)
    folds = fitted.cross_fitted.folds_of(postings)
    scored = pd.DataFrame(
        {
            "posting_id": postings["offer_id"],
            "input_hash": input_hashes(postings, folds),
            "extractor_id": fitted.extractor_id,
        }
    )
    if previous is None:
        unchanged = np.zeros(len(postings), dtype=bool)
    else:
        unchanged = (
            scored.merge(previous.scored, on=SCORED_COLUMNS, how="left", indicator=True)["_merge"] == "both"
        ).to_numpy()
    skills, occupations = apply_in_processes(
        fitted.cross_fitted, postings[~unchanged].reset_index(drop=True), folds[~unchanged], processes
    )
    skills = skills.rename(columns={"offer_id": "posting_id"})
    occupations = occupations.rename(columns={"offer_id": "posting_id"})
    if previous is not None and unchanged.any():
        kept = set(postings.loc[unchanged, "offer_id"])
        skills = pd.concat([previous.skills[previous.skills["posting_id"].isin(kept)], skills], ignore_index=True)
        occupations = pd.concat(
            [previous.occupations[previous.occupations["posting_id"].isin(kept)], occupations], ignore_index=True
        )
    # The order a full scoring gives: postings in input order, then score descending, then item.
    order = pd.Series(np.arange(len(postings)), index=postings["offer_id"].to_numpy())
    skills = skills.iloc[
        np.lexsort(
            (skills["skill_code"].to_numpy(), -skills["score"].to_numpy(), skills["posting_id"].map(order).to_numpy())
        )
    ].reset_index(drop=True)
    occupations = occupations.iloc[
        np.argsort(occupations["posting_id"].map(order).to_numpy(), kind="stable")
    ].reset_index(drop=True)
    return Scored(skills, occupations, scored, int((~unchanged).sum()))


SKILLS_TABLE = "extracted_posting_skills"
OCCUPATIONS_TABLE = "inferred_posting_occupations"
SCORED_TABLE = "scored_postings"


def read_previous(data_dir: Path) -> Scored | None:
    """What the last extraction wrote to the derived zone, or None when any of its three tables is
    missing (first run, or written before postings were scored incrementally)."""
    frames = []
    for table in (SKILLS_TABLE, OCCUPATIONS_TABLE, SCORED_TABLE):
        path = partition_path(data_dir, DERIVED_ZONE, "matching", table, "current") / PARQUET_NAME
        if not path.exists():
            return None
        frames.append(pd.read_parquet(path).drop(columns=[INGESTED_AT], errors="ignore"))
    skills, occupations, scored = frames
    return Scored(skills, occupations, scored, 0)
