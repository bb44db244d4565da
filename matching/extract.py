"""Skill extraction from French offer text, mapped to ROME 4.0 items (``code_ogr``).

Every row the extractor emits says where it comes from (``origin``):

- ``text``: a span of the offer names the item. The span is one of the item's names found by an
  Aho-Corasick automaton over normalised stems (its ROME label, a short alias of a knowledge
  item, or an ESCO label bridged to it; whole stems, never across a sentence break); the
  verbatim span of the offer's title or description is the ``evidence``.
- ``occupation_prior``: the item is typical of the offer's occupation (ROME coherence items, what
  recruiters of that occupation list) and was scored high enough, but no span of the offer names
  it; ``evidence`` is empty. Words of the offer may still have raised its score (TF-IDF coverage
  of its label by one sentence), but no span is claimed.

Candidates for an offer are the items ROME links to its occupation (``coherence_item``), the items
recruiters listed for that occupation in the fitted offers, and every item the automaton finds.
Features per candidate:

- ``exact`` (the automaton found one of its names), ``exact_stems`` (log of the found name's
  length in stems: "Excel" is weaker evidence than "gestion des stocks et des approvisionnements");
- ``cov_sentence``: the best share, over the offer's sentences, of the item label's IDF weight
  whose stems the sentence contains; ``cov_offer`` the same over the whole offer, ``cov_title``
  over the title;
- ``prior``: how often recruiters of the fitted offers list the item for this ROME code
  (count / (offers + 1)), with ``history`` (log of that offer count) and ranks;
- ``in_coherence``, ``core`` (coeur_metier), ``savoir`` (a knowledge item).

A logistic regression turns them into a score; items scoring at least the threshold are emitted.
The feature set, the regularisation and the threshold are chosen by cross-validation over
near-duplicate-grouped folds of the fitted offers (:func:`cross_validate`). A fitted extractor is
applied only to offers whose labels (and whose near duplicates' labels) it never saw:
:class:`CrossFitted` keeps one extractor per fold and scores each offer with the one fitted
without its fold. An offer without a ROME code gets one inferred from its words
(:mod:`matching.occupation`), kept apart in ``inferred_rome_code``.

The offer's own ``competences`` are never read: the input frame has no such column, and the CLI
builds it with :func:`matching.offers.offers_frame`, which reads only id, title, description and
ROME code.

Work is batched: the text of a chunk of offers becomes one sparse sentence x stem matrix, scored
against a precomputed stem x item matrix per ROME code; Python touches each offer only to
tokenise it (a regex and a dictionary lookup per token), and again to cut the spans of the rows
it emits as text.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ingestion.errors import SourceFileError
from matching.config import EXTRACTION
from matching.dictionary import BREAK_CHAR, SAVOIR_RUBRIQUE, UNKNOWN_CHAR, SkillDictionary, code_point
from matching.extractor_inputs import ExtractorInputs, load_extractor_inputs
from matching.occupation import INFERRED_COLUMNS, OccupationInferrer
from matching.offers import OFFER_COLUMNS, fold_of, load_api_offers, near_duplicate_groups, offers_frame
from matching.text import BREAK, raw_tokens, stem, token_spans
from matching.tfidf import fit_stem_tfidf
from matching.training_skills import sorted_unique

TEXT = "text"
OCCUPATION_PRIOR = "occupation_prior"
ORIGINS = (TEXT, OCCUPATION_PRIOR)
OUTPUT_COLUMNS = ["offer_id", "skill_code", "score", "evidence", "origin"]

FEATURES = (
    "exact",
    "exact_stems",
    "cov_sentence",
    "cov_offer",
    "cov_title",
    "prior",
    "prior_x_cov",
    "history",
    "in_coherence",
    "core",
    "savoir",
    "inv_prior_rank",
    "inv_cov_rank",
    "top5_prior",
    "global_prior",
    "global_x_cov",
    "log_coherence",
    "unseen_cov",
    "unseen_core",
)
# What the occupation alone says about an item: no word of the offer is read.
PRIOR_FEATURES = (
    "prior",
    "history",
    "in_coherence",
    "core",
    "savoir",
    "inv_prior_rank",
    "top5_prior",
    "global_prior",
    "log_coherence",
    "unseen_core",
)
_INTERACTIONS = ("prior_x_cov", "global_x_cov", "unseen_cov", "inv_cov_rank")
# The feature sets and inverse regularisation strengths cross-validation chooses from.
TEXT_FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "text and prior": FEATURES,
    "text and prior, no interactions": tuple(f for f in FEATURES if f not in _INTERACTIONS),
}
PRIOR_FEATURE_SETS: dict[str, tuple[str, ...]] = {"prior only": PRIOR_FEATURES}

_BREAK_ID, _UNKNOWN_ID, _STOP_ID = -1, -2, -3


@dataclass
class ScoringModel:
    """A logistic score over FEATURES (zero weight on features outside the chosen set) and the
    threshold above which an item is emitted."""

    coef: np.ndarray
    intercept: float
    threshold: float
    feature_set: str = "text only (unfitted)"
    c: float = float("nan")

    def score(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.coef + self.intercept)))


# Used when no labelled offers are given: a text-only score (no recruiter prior), so that the
# extractor still works without any fitting.
TEXT_ONLY_MODEL = ScoringModel(
    coef=np.array([3.0, 0.5, 4.0, 1.0, 1.0, 0, 0, 0, 0.5, 0.3, 0, 0, 1.0, 0, 0, 0, 0, 0, 0]),
    intercept=-5.0,
    threshold=0.5,
)


@dataclass
class _Encoded:
    """A chunk of offers as sparse stem matrices plus automaton hits."""

    sentences: sparse.csr_matrix  # sentence x stem, binary
    offers: sparse.csr_matrix  # offer x stem, binary
    sentence_start: np.ndarray  # first sentence row of each offer
    sentence_count: np.ndarray
    hits: pd.DataFrame  # offer_pos, skill_code, sentence (local index), hit_end, hit_length


@dataclass
class _RomeCandidates:
    codes: np.ndarray
    weights: sparse.csc_matrix  # stem x candidate, columns sum to 1
    static: np.ndarray  # candidate x (in_coherence, core, savoir, count)
    offers_seen: int


@dataclass
class SkillExtractor:
    dictionary: SkillDictionary
    coherence: pd.DataFrame  # code_rome, code_ogr, coeur_metier
    savoir_codes: frozenset[int]
    prior_counts: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"rome_code": [], "skill_code": [], "count": []})
    )
    rome_offers: dict[str, int] = field(default_factory=dict)
    item_counts: dict[int, int] = field(default_factory=dict)
    model: ScoringModel = field(default_factory=lambda: TEXT_ONLY_MODEL)
    occupations: OccupationInferrer | None = None
    # Ids of the labelled offers the prior and the model were fitted on (for leak checks).
    fitted_offers: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        vocabulary = self.dictionary.vocabulary
        self._automaton = self.dictionary.automaton()
        self._id_cache: dict[str, int] = {}
        self._char_cache: dict[str, str] = {}
        self._vocabulary_size = len(vocabulary)
        self._item_columns, self._item_matrix = self._build_item_matrix()
        item_codes = np.array(sorted(self._item_columns), dtype=np.int64)
        self._item_code_array = item_codes
        self._item_column_array = np.array([self._item_columns[code] for code in item_codes], dtype=np.int64)
        self._savoir_array = np.array(sorted(self.savoir_codes), dtype=np.int64)
        self._by_rome: dict[str, _RomeCandidates] = {}
        self._coherence_arrays = _arrays_by_key(
            self.coherence["code_rome"].astype(str).to_numpy(),
            self.coherence["code_ogr"].to_numpy(dtype=np.int64),
            self.coherence["coeur_metier"].notna().to_numpy(dtype=float),
        )
        self._prior_arrays = _prior_arrays(self.prior_counts)
        self._coherence_size = self.coherence.groupby("code_rome").size().to_dict()
        self._item_codes_sorted: np.ndarray | None = None
        self._item_counts_sorted: np.ndarray | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_inputs(cls, inputs: ExtractorInputs) -> SkillExtractor:
        """An unfitted extractor (text-only score, no prior, no occupation inferrer) over the
        warehouse's ROME items and ESCO bridge; :meth:`fitted` and :class:`CrossFitted` fit it."""
        dictionary = SkillDictionary.from_tables(inputs.items, inputs.esco_labels)
        coherence = inputs.occupation_items.rename(
            columns={"rome_code": "code_rome", "skill_code": "code_ogr", "core_level": "coeur_metier"}
        )[["code_rome", "code_ogr", "coeur_metier"]]
        coherence = coherence.astype({"code_rome": str, "code_ogr": "int64"}).drop_duplicates(["code_rome", "code_ogr"])
        items = inputs.items
        savoirs = frozenset(items.loc[items["rubrique_code"] == SAVOIR_RUBRIQUE, "skill_code"].astype("int64"))
        return cls(dictionary, coherence.reset_index(drop=True), savoirs)

    def _build_item_matrix(self) -> tuple[dict[int, int], sparse.csc_matrix]:
        """Stem x item matrix of the ROME labels, TF-IDF-weighted (:mod:`matching.tfidf`, IDF over
        the labels), each column summing to 1."""
        entries = self.dictionary.entries
        labels = entries[entries["origin"] == "rome"].drop_duplicates("skill_code")
        _, weights = fit_stem_tfidf([pattern.split(" ") for pattern in labels["pattern"]], self.dictionary.vocabulary)
        matrix = weights.T.tocsc()
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        matrix = matrix @ sparse.diags(1.0 / np.where(totals > 0, totals, 1.0))
        columns = dict(zip(labels["skill_code"].astype("int64"), range(len(labels)), strict=True))
        return columns, matrix.tocsc()

    def with_prior(self, offers: pd.DataFrame, labels: pd.DataFrame) -> SkillExtractor:
        """A copy (sharing the dictionary, automaton and token cache) whose recruiter prior is
        counted on ``offers`` (offer_id, rome_code) and their ``labels`` (offer_id, skill_code);
        its model is still the text-only one until :meth:`with_model`."""
        labels = _labels(labels)
        offers = offers[offers["offer_id"].isin(set(labels["offer_id"]))]
        labels = labels[labels["offer_id"].isin(set(offers["offer_id"]))]
        with_rome = labels.merge(offers[["offer_id", "rome_code"]], on="offer_id")
        fitted = copy.copy(self)
        fitted.prior_counts = with_rome.groupby(["rome_code", "skill_code"]).size().rename("count").reset_index()
        fitted.rome_offers = offers.groupby("rome_code").size().to_dict()
        fitted.item_counts = labels.groupby("skill_code").size().to_dict()
        fitted._item_codes_sorted = None
        fitted._prior_arrays = _prior_arrays(fitted.prior_counts)
        fitted._by_rome = {}
        fitted.model = TEXT_ONLY_MODEL
        fitted.fitted_offers = frozenset(offers["offer_id"].astype(str))
        return fitted

    def cold(self) -> SkillExtractor:
        """A copy with empty token and occupation caches, where a freshly built extractor starts
        (the Snowball stem cache, shared by the process, is cleared too)."""
        fresh = copy.copy(self)
        fresh._id_cache, fresh._char_cache, fresh._by_rome = {}, {}, {}
        stem.cache_clear()
        return fresh

    def with_model(self, model: ScoringModel) -> SkillExtractor:
        fitted = copy.copy(self)
        fitted.model = model
        return fitted

    def with_occupations(self, occupations: OccupationInferrer | None) -> SkillExtractor:
        fitted = copy.copy(self)
        fitted.occupations = occupations
        return fitted

    def training_rows(self, offers: pd.DataFrame, labels: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
        """Candidates of the labelled ``offers`` with leave-one-out priors (an offer's own labels
        removed from the counts it is scored with), and whether each is one of its labels."""
        labels = _labels(labels)
        offers = offers[offers["offer_id"].isin(set(labels["offer_id"]))]
        candidates = self.candidates(offers, leave_out=labels)
        return candidates, is_label(candidates, labels)

    # ------------------------------------------------------------------ encoding
    # ------------------------------------------------------------------ encoding
    def _classify(self, token: str) -> None:
        stemmed = stem(token)
        if stemmed == BREAK:
            self._id_cache[token], self._char_cache[token] = _BREAK_ID, BREAK_CHAR
        elif stemmed == "":
            self._id_cache[token], self._char_cache[token] = _STOP_ID, ""
        elif stemmed in self.dictionary.vocabulary:
            stem_id = self.dictionary.vocabulary[stemmed]
            self._id_cache[token], self._char_cache[token] = stem_id, code_point(stem_id, self.dictionary.base)
        else:
            self._id_cache[token], self._char_cache[token] = _UNKNOWN_ID, UNKNOWN_CHAR

    def _encode(self, texts: list[str]) -> _Encoded:
        """Tokenise the chunk (one regex pass per text), then work on the whole chunk at once:
        one dictionary lookup per token, one encoded string for every offer (each followed by a
        break, so that no name is found across two offers), one automaton pass over it, and the
        offer, sentence and local position of each hit computed with numpy."""
        tokens: list[str] = []
        token_counts = np.zeros(len(texts), dtype=np.int64)
        for position, text in enumerate(texts):
            found = raw_tokens(text)
            tokens += found
            tokens.append(BREAK)
            token_counts[position] = len(found) + 1
        ids_cache, chars_cache = self._id_cache, self._char_cache
        for token in set(tokens).difference(ids_cache):
            self._classify(token)
        ids_full = np.fromiter(map(ids_cache.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        encoded = "".join(map(chars_cache.__getitem__, tokens))
        # Characters per token: two per known stem, one per break or unknown word, none for a stop word.
        char_ends = np.cumsum(np.where(ids_full >= 0, 2, np.where(ids_full == _STOP_ID, 0, 1)))
        token_start = np.concatenate([[0], np.cumsum(token_counts)[:-1]]).astype(np.int64)
        offer_char_start = np.concatenate([[0], char_ends])[token_start]
        breaks_before_token = np.cumsum(ids_full == _BREAK_ID) - (ids_full == _BREAK_ID)

        # One automaton pass per offer, over its slice of the chunk's string without the closing
        # break: pyahocorasick's iter_long misses some names ending on the last character of its
        # input, and reading the offers one by one keeps the results those of one call per offer.
        offer_char_stop = char_ends[token_start + token_counts - 1] - 1
        automaton = self._automaton
        found_hits: list[tuple[int, tuple[int, tuple[int, ...]]]] = []
        hits_per_offer = np.zeros(len(texts), dtype=np.int64)
        for position, (start, stop) in enumerate(zip(offer_char_start.tolist(), offer_char_stop.tolist(), strict=True)):
            found = list(automaton.iter_long(encoded[start:stop]))
            if found:
                found_hits += found
                hits_per_offer[position] = len(found)
        hit_end = np.fromiter((hit[0] for hit in found_hits), dtype=np.int64, count=len(found_hits))
        hit_lengths = np.fromiter((hit[1][0] for hit in found_hits), dtype=np.int64, count=len(found_hits))
        code_counts = np.fromiter((len(hit[1][1]) for hit in found_hits), dtype=np.int64, count=len(found_hits))
        hit_codes = np.fromiter(
            itertools.chain.from_iterable(hit[1][1] for hit in found_hits), dtype=np.int64, count=int(code_counts.sum())
        )
        hit_offer = np.repeat(np.arange(len(texts)), hits_per_offer)
        hit_token = np.searchsorted(char_ends, offer_char_start[hit_offer] + hit_end, side="right")
        hit_sentence = breaks_before_token[hit_token] - breaks_before_token[token_start[hit_offer]]

        # The tokens of the offers themselves, without the break closing each one.
        is_separator = np.zeros(len(tokens), dtype=bool)
        is_separator[token_start + token_counts - 1] = True
        all_ids = ids_full[~is_separator]
        lengths = token_counts - 1
        hit_offer, hit_sentence, hit_end, hit_lengths = (
            np.repeat(values, code_counts) for values in (hit_offer, hit_sentence, hit_end, hit_lengths)
        )
        hit_code = hit_codes
        hit_length = hit_lengths

        ids_a = np.asarray(all_ids, dtype=np.int64)
        offer_of = np.repeat(np.arange(len(texts)), lengths)
        is_break = ids_a == _BREAK_ID
        breaks_before = np.cumsum(is_break) - is_break
        offer_token_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        breaks_at_start = (
            np.concatenate([[0], np.cumsum(is_break)])[offer_token_start]
            if len(ids_a)
            else np.zeros(len(texts), dtype=np.int64)
        )
        local_sentence = breaks_before - breaks_at_start[offer_of] if len(ids_a) else breaks_before
        sentence_count = np.bincount(offer_of[is_break], minlength=len(texts)) + 1
        sentence_start = np.concatenate([[0], np.cumsum(sentence_count)[:-1]]).astype(np.int64)

        known = ids_a >= 0
        rows = sentence_start[offer_of[known]] + local_sentence[known]
        cols = ids_a[known]
        ones = np.ones(len(cols), dtype=np.float64)
        sentences = sparse.csr_matrix((ones, (rows, cols)), shape=(int(sentence_count.sum()), self._vocabulary_size))
        sentences.data[:] = 1.0
        offers = sparse.csr_matrix((ones, (offer_of[known], cols)), shape=(len(texts), self._vocabulary_size))
        offers.data[:] = 1.0
        hits = pd.DataFrame(
            {
                "offer_pos": np.asarray(hit_offer, dtype=np.int64),
                "skill_code": np.asarray(hit_code, dtype=np.int64),
                "sentence": np.asarray(hit_sentence, dtype=np.int64),
                # Where the name was found, in characters of the encoded text (two per stem).
                "hit_end": np.asarray(hit_end, dtype=np.int64),
                "hit_length": np.asarray(hit_length, dtype=np.int64),
            }
        ).drop_duplicates(["offer_pos", "skill_code"])
        return _Encoded(sentences, offers, sentence_start, sentence_count, hits)

    # ------------------------------------------------------------------ candidates
    def _rome_candidates(self, rome_code: str) -> _RomeCandidates:
        """The candidate items of one ROME code: its coherence items (in their referential order)
        when no fitted offer has that code, else the union of those and the items its fitted
        offers list, by item code. Items without a ROME label (no column) are left out."""
        cached = self._by_rome.get(rome_code)
        if cached is not None:
            return cached
        coherent = self._coherence_arrays.get(rome_code)
        prior = self._prior_arrays.get(rome_code)
        if prior is None:
            if coherent is None:
                codes = np.zeros(0, dtype=np.int64)
                in_coherence = core = count = np.zeros(0)
            else:
                codes, core = coherent
                in_coherence, count = np.ones(len(codes)), np.zeros(len(codes))
        else:
            prior_codes, prior_counts = prior
            coherent_codes, coherent_core = (
                coherent if coherent is not None else (np.zeros(0, dtype=np.int64), np.zeros(0))
            )
            codes = sorted_unique(np.concatenate([coherent_codes, prior_codes]))
            order = np.argsort(coherent_codes, kind="stable")
            in_coherence = (_lookup(coherent_codes[order], np.arange(len(order))[order], codes, -1) >= 0).astype(float)
            core = np.where(
                in_coherence > 0, _lookup(coherent_codes[order], coherent_core[order], codes, 0), 0.0
            ).astype(float)
            count = _lookup(prior_codes, prior_counts, codes, 0).astype(float)
        columns = _lookup(self._item_code_array, self._item_column_array, codes, -1)
        has_column = columns >= 0
        codes = codes[has_column]
        result = _RomeCandidates(
            codes=codes,
            weights=self._item_matrix[:, columns[has_column]].tocsc(),
            static=np.column_stack(
                [in_coherence[has_column], core[has_column], self._is_savoir(codes), count[has_column]]
            )
            .astype(float)
            .reshape(len(codes), 4),
            offers_seen=int(self.rome_offers.get(rome_code, 0)),
        )
        self._by_rome[rome_code] = result
        return result

    def _is_savoir(self, codes: np.ndarray) -> np.ndarray:
        return (_lookup(self._savoir_array, self._savoir_array, codes, -1) >= 0).astype(float)

    def candidates(self, frame: pd.DataFrame, leave_out: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every candidate (offer, item) of the frame with its features (no threshold).

        ``leave_out`` (offer_id, skill_code, optional group and rome_code): labels to remove from
        the prior an offer is scored with, used only to build training rows: an offer's own labels
        and those of its near duplicates (same ``group``) are left out of its counts.
        """
        frame = frame[OFFER_COLUMNS].astype(str)
        parts = []
        for start in range(0, len(frame), EXTRACTION.chunk_offers):
            chunk = frame.iloc[start : start + EXTRACTION.chunk_offers].reset_index(drop=True)
            part = self._candidates_chunk(chunk, leave_out)
            part["offer_id"] = chunk["offer_id"].to_numpy()[part["offer_pos"].to_numpy()]
            parts.append(part)
        return pd.concat(parts, ignore_index=True) if parts else _empty_candidates()

    def _candidates_chunk(self, frame: pd.DataFrame, leave_out: pd.DataFrame | None) -> pd.DataFrame:
        texts = (frame["title"].fillna("") + "\n" + frame["description"].fillna("")).tolist()
        encoded = self._encode(texts)
        rome_codes = frame["rome_code"].fillna("").to_numpy(dtype=str)
        parts = []
        for rome_code, positions in pd.Series(np.arange(len(frame))).groupby(rome_codes, sort=False):
            part = self._score_rome(rome_code, positions.to_numpy(), encoded)
            if part is not None:
                parts.append(part)
        if parts:
            table = pd.DataFrame(
                {name: np.concatenate([part[i] for part in parts]) for i, name in enumerate(_CANDIDATE_COLUMNS)}
            )
        else:
            table = _empty_candidates()

        # Exact hits: mark candidates, add items outside the occupation's candidates.
        hits = encoded.hits
        table = table.merge(hits, on=["offer_pos", "skill_code"], how="outer", indicator=True)
        table["exact"] = (table["_merge"] != "left_only").astype(float)
        table["exact_stems"] = np.log1p(table["hit_length"].fillna(0.0).to_numpy() / 2.0)
        outside = table["_merge"] == "right_only"
        for column in ("cov_sentence", "cov_offer", "cov_title"):
            table.loc[outside, column] = 1.0
        for column in ("in_coherence", "core", "count", "history"):
            table.loc[outside, column] = 0.0
        table.loc[outside, "savoir"] = self._is_savoir(table.loc[outside, "skill_code"].to_numpy(dtype=np.int64))
        table = table.drop(columns=["_merge", "sentence"])
        positions = table["offer_pos"].to_numpy()
        rome_series = pd.Series(rome_codes)
        offers_seen = rome_series.map(self.rome_offers).fillna(0).to_numpy(dtype=float)[positions]
        coherence_size = rome_series.map(self._coherence_size).fillna(0).to_numpy(dtype=float)[positions]
        counts = table["count"].to_numpy(dtype=float)
        global_counts = self._global_counts(table["skill_code"].to_numpy(dtype=np.int64))
        labelled_offers = float(sum(self.rome_offers.values()))
        if leave_out is not None:
            own, own_offers, own_same_rome = _left_out_counts(frame, table, leave_out)
            counts = counts - own
            global_counts = global_counts - own
            labelled = labelled_offers - own_offers
            offers_seen = offers_seen - own_same_rome
            # An item only a candidate because this offer listed it would not be one unseen.
            keep = (counts > 0) | (table["in_coherence"].to_numpy() > 0) | (table["exact"].to_numpy() > 0)
            table = table[keep].reset_index(drop=True)
            counts, offers_seen, global_counts = counts[keep], offers_seen[keep], global_counts[keep]
            coherence_size, labelled = coherence_size[keep], labelled[keep]
        else:
            labelled = np.full(len(table), labelled_offers)
        table["prior"] = counts / (offers_seen + 1.0)
        table["history"] = np.log1p(np.maximum(offers_seen, 0.0))
        table["prior_x_cov"] = table["prior"] * table["cov_sentence"]
        table["global_prior"] = global_counts / (np.maximum(labelled, 0.0) + 1.0)
        table["global_x_cov"] = table["global_prior"] * table["cov_sentence"]
        table["log_coherence"] = np.log1p(coherence_size)
        unseen = (offers_seen <= 0).astype(float)
        table["unseen_cov"] = unseen * table["cov_sentence"]
        table["unseen_core"] = unseen * table["core"]
        # Where an item stands among the offer's candidates: recruiters list a handful per offer.
        by_offer = table.groupby("offer_pos", sort=False)
        prior_rank = by_offer["prior"].rank(ascending=False, method="first")
        table["inv_prior_rank"] = 1.0 / prior_rank
        table["top5_prior"] = ((prior_rank <= 5) & (table["prior"] > 0)).astype(float)
        table["inv_cov_rank"] = 1.0 / by_offer["cov_sentence"].rank(ascending=False, method="first")
        return table

    def _global_counts(self, codes: np.ndarray) -> np.ndarray:
        """How many fitted labelled offers list each item, whatever their occupation."""
        if self._item_codes_sorted is None:
            pairs = sorted(self.item_counts.items())
            self._item_codes_sorted = np.array([code for code, _ in pairs], dtype=np.int64)
            self._item_counts_sorted = np.array([count for _, count in pairs], dtype=float)
        known, counts = self._item_codes_sorted, self._item_counts_sorted
        if len(known) == 0:
            return np.zeros(len(codes))
        index = np.minimum(np.searchsorted(known, codes), len(known) - 1)
        return np.where(known[index] == codes, counts[index], 0.0)

    def _score_rome(self, rome_code: str, positions: np.ndarray, encoded: _Encoded) -> list[np.ndarray] | None:
        """The columns of _CANDIDATE_COLUMNS for the offers at ``positions`` (all of one ROME code)
        and the code's candidate items, offer by offer; None when the code has no candidate."""
        candidates = self._rome_candidates(rome_code)
        n_items = len(candidates.codes)
        if n_items == 0:
            return None
        counts = encoded.sentence_count[positions]
        starts = encoded.sentence_start[positions]
        segment_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rows = np.repeat(starts - segment_start, counts) + np.arange(int(counts.sum()))
        coverage = (encoded.sentences[rows] @ candidates.weights).toarray()
        best = np.maximum.reduceat(coverage, segment_start, axis=0)
        offer_coverage = (encoded.offers[positions] @ candidates.weights).toarray()
        title_coverage = coverage[segment_start]
        static = np.tile(candidates.static, (len(positions), 1))
        return [
            np.repeat(positions, n_items).astype(np.int64),
            np.tile(candidates.codes, len(positions)),
            best.ravel(),
            offer_coverage.ravel(),
            title_coverage.ravel(),
            *static.T,
        ]

    # ------------------------------------------------------------------ extraction
    def infer_occupations(self, frame: pd.DataFrame) -> pd.DataFrame:
        """INFERRED_COLUMNS for the offers of ``frame`` (NULL codes without an inferrer)."""
        if self.occupations is None or frame.empty:
            return pd.DataFrame(
                {
                    "offer_id": frame["offer_id"].astype(str).to_numpy(),
                    "inferred_rome_code": pd.Series([None] * len(frame), dtype=object),
                    "inferred_rome_confidence": np.zeros(len(frame)),
                }
            )
        return self.occupations.infer(frame)

    def with_inferred_rome(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` where an empty rome_code is replaced by the code inferred from the words."""
        frame = frame[OFFER_COLUMNS].fillna("").astype(str).reset_index(drop=True)
        missing = (frame["rome_code"].str.strip() == "").to_numpy()
        if missing.any() and self.occupations is not None:
            inferred = self.infer_occupations(frame[missing])
            frame.loc[missing, "rome_code"] = inferred["inferred_rome_code"].fillna("").to_numpy()
        return frame

    def extract(self, frame: pd.DataFrame) -> pd.DataFrame:
        """OUTPUT_COLUMNS for the offers of ``frame``.

        ``frame`` has columns offer_id, title, description, rome_code; any other column (a
        ``competences`` list in particular) is ignored. An offer with an empty rome_code is
        scored with the occupation inferred from its words (when the extractor has an inferrer).
        ``text`` rows carry the verbatim span of the offer that names the item; rows of origin
        ``occupation_prior`` carry an empty evidence.
        """
        frame = self.with_inferred_rome(frame)
        parts = [
            self._extract_chunk(frame.iloc[start : start + EXTRACTION.chunk_offers].reset_index(drop=True))
            for start in range(0, len(frame), EXTRACTION.chunk_offers)
        ]
        if not parts:
            return _empty_output()
        return pd.concat(parts, ignore_index=True)

    def exact_matches(self, frame: pd.DataFrame) -> pd.DataFrame:
        """offer_id, skill_code of the items whose label occurs verbatim (after normalisation)."""
        frame = frame[OFFER_COLUMNS].astype(str).reset_index(drop=True)
        parts = []
        for start in range(0, len(frame), EXTRACTION.chunk_offers):
            chunk = frame.iloc[start : start + EXTRACTION.chunk_offers].reset_index(drop=True)
            hits = self._encode((chunk["title"] + "\n" + chunk["description"]).tolist()).hits
            parts.append(
                pd.DataFrame(
                    {
                        "offer_id": chunk["offer_id"].to_numpy()[hits["offer_pos"].to_numpy()],
                        "skill_code": hits["skill_code"].to_numpy(),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True) if parts else _empty_output()[["offer_id", "skill_code"]]

    def _extract_chunk(self, frame: pd.DataFrame) -> pd.DataFrame:
        table = self._candidates_chunk(frame, None)
        scores = self.model.score(table[list(FEATURES)].to_numpy(dtype=float))
        keep = scores >= self.model.threshold
        chosen = table.loc[keep, ["offer_pos", "skill_code", "exact", "hit_end", "hit_length"]].copy()
        chosen["offer_id"] = frame["offer_id"].to_numpy()[chosen["offer_pos"].to_numpy()]
        chosen["score"] = np.round(scores[keep], 4)
        chosen = chosen.sort_values(["offer_pos", "score", "skill_code"], ascending=[True, False, True])
        is_text = (chosen["exact"] > 0).to_numpy()
        chosen["origin"] = np.where(is_text, TEXT, OCCUPATION_PRIOR)
        chosen["evidence"] = ""
        chosen.loc[is_text, "evidence"] = self._spans(frame, chosen[is_text])
        out = chosen[OUTPUT_COLUMNS].reset_index(drop=True)
        return out.astype({"offer_id": str, "skill_code": "int64", "score": float, "evidence": str, "origin": str})

    def _spans(self, frame: pd.DataFrame, hits: pd.DataFrame) -> list[str]:
        """The verbatim span of ``title + "\\n" + description`` that each automaton hit covers.

        The automaton reads an encoded text (two characters per known stem, one per unknown word
        or break, none for a stop word); the offer is tokenised again, once, with character
        offsets, and the hit's first and last encoded characters are mapped back to the first and
        last word of the span (stop words in between belong to it: "gestion des stocks").
        """
        titles, descriptions = frame["title"].to_numpy(), frame["description"].to_numpy()
        chars = self._char_cache
        out: list[str] = []
        current, text, ends, spans = -1, "", np.zeros(0, dtype=np.int64), []
        for position, end, length in zip(
            hits["offer_pos"].to_numpy(), hits["hit_end"].to_numpy(), hits["hit_length"].to_numpy(), strict=True
        ):
            if position != current:
                text = f"{titles[position]}\n{descriptions[position]}"
                spans = token_spans(text)
                tokens = [text[start:stop].lower() for start, stop in spans]
                for token in tokens:
                    if token not in chars:
                        self._classify(token)
                ends = np.cumsum([len(chars[token]) for token in tokens], dtype=np.int64)
                current = position
            first = int(np.searchsorted(ends, end - length + 1, side="right"))
            last = int(np.searchsorted(ends, end, side="right"))
            out.append(text[spans[first][0] : spans[last][1]])
        return out


def _arrays_by_key(keys: np.ndarray, codes: np.ndarray, values: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """key -> (codes, values) of its rows, in the rows' order (one split of sorted arrays, no
    loop over rows)."""
    if len(keys) == 0:
        return {}
    order = np.argsort(keys, kind="stable")
    keys, codes, values = keys[order], codes[order], values[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    return {
        str(key): (code_part, value_part)
        for key, code_part, value_part in zip(
            keys[starts], np.split(codes, starts[1:]), np.split(values, starts[1:]), strict=True
        )
    }


def _prior_arrays(prior_counts: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """rome_code -> (item codes sorted, their counts) of the recruiter prior."""
    prior = prior_counts.sort_values(["rome_code", "skill_code"]) if len(prior_counts) else prior_counts
    return _arrays_by_key(
        prior["rome_code"].astype(str).to_numpy(),
        prior["skill_code"].to_numpy(dtype=np.int64),
        prior["count"].to_numpy(dtype=float),
    )


def _lookup(keys: np.ndarray, values: np.ndarray, wanted: np.ndarray, missing: int) -> np.ndarray:
    """values[i] where keys[i] == wanted (``keys`` sorted), ``missing`` where no key matches."""
    if len(keys) == 0:
        return np.full(len(wanted), missing, dtype=np.int64)
    index = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[index] == wanted, values[index], missing)


def _labels(labels: pd.DataFrame) -> pd.DataFrame:
    columns = [column for column in ("offer_id", "skill_code", "group", "rome_code") if column in labels]
    return labels[columns].astype({"offer_id": str, "skill_code": "int64"}).drop_duplicates(["offer_id", "skill_code"])


def is_label(candidates: pd.DataFrame, labels: pd.DataFrame) -> np.ndarray:
    """Whether each (offer_id, skill_code) candidate is one of ``labels``."""
    marked = candidates[["offer_id", "skill_code"]].merge(
        _labels(labels)[["offer_id", "skill_code"]].assign(_label=True), on=["offer_id", "skill_code"], how="left"
    )
    return marked["_label"].fillna(False).to_numpy(dtype=bool)


def _left_out_counts(
    frame: pd.DataFrame, table: pd.DataFrame, leave_out: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each candidate row: how many of the left-out offers of its offer's near-duplicate
    group list the item, how many labelled offers that group holds, and how many of them share
    the offer's ROME code (what leave-group-out removes from the counts)."""
    leave_out = leave_out.copy()
    if "group" not in leave_out:
        leave_out["group"] = leave_out["offer_id"]
    if "rome_code" not in leave_out:
        leave_out = leave_out.merge(frame[["offer_id", "rome_code"]], on="offer_id", how="left")
    group_of = leave_out.drop_duplicates("offer_id").set_index("offer_id")["group"]
    offer_groups = frame["offer_id"].map(group_of).to_numpy(dtype=object)
    positions = table["offer_pos"].to_numpy()
    row_groups = offer_groups[positions]
    row_romes = frame["rome_code"].to_numpy(dtype=str)[positions]
    pair_counts = leave_out.groupby(["group", "skill_code"]).size()
    own = pd.MultiIndex.from_arrays([row_groups, table["skill_code"].to_numpy()])
    own_counts = pair_counts.reindex(own).fillna(0.0).to_numpy(dtype=float)
    offers = leave_out.drop_duplicates("offer_id")
    group_sizes = offers.groupby("group").size()
    own_offers = pd.Series(row_groups).map(group_sizes).fillna(0.0).to_numpy(dtype=float)
    rome_sizes = offers.groupby(["group", "rome_code"]).size()
    own_same_rome = (
        rome_sizes.reindex(pd.MultiIndex.from_arrays([row_groups, row_romes])).fillna(0.0).to_numpy(dtype=float)
    )
    return own_counts, own_offers, own_same_rome


def best_threshold(scores: np.ndarray, y: np.ndarray, positives: int) -> tuple[float, float]:
    """(threshold, micro F1) maximising micro F1; ``positives`` counts every gold label."""
    if len(scores) == 0:
        return 1.0, 0.0
    order = np.argsort(-scores, kind="stable")
    true_positives = np.cumsum(y[order])
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * true_positives / (predicted + positives)
    best = int(np.argmax(f1))
    return float(scores[order][best]), float(f1[best])


def fit_model(x: np.ndarray, y: np.ndarray, feature_set: str, c: float, threshold: float = 0.5) -> ScoringModel:
    """Logistic regression on the columns of FEATURES in ``feature_set`` (standardised)."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    names = {**TEXT_FEATURE_SETS, **PRIOR_FEATURE_SETS}[feature_set]
    used = np.array([name in names for name in FEATURES])
    chosen = x[:, used]
    mean, scale = chosen.mean(axis=0), chosen.std(axis=0)
    scale[scale == 0] = 1.0
    # One BLAS thread: the Hessian products are small (19 columns), and threads contending with
    # the rest of the run made each fit several times slower; the fitted coefficients are the
    # same on the bundled offers.
    with threadpool_limits(limits=1, user_api="blas"):
        regression = LogisticRegression(C=c, solver="newton-cholesky", max_iter=200).fit((chosen - mean) / scale, y)
    coef = np.zeros(len(FEATURES))
    coef[used] = regression.coef_.ravel() / scale
    intercept = float(regression.intercept_[0] - (coef[used] * mean).sum())
    return ScoringModel(coef, intercept, threshold, feature_set, c)


@dataclass
class CrossValidation:
    """What cross-validation over folds chose, and the per-fold extractors it fitted with it."""

    feature_set: str
    c: float
    threshold: float
    f1: float  # pooled out-of-fold micro F1 at that threshold
    grid: pd.DataFrame  # feature_set, c, threshold, f1 for every setting tried
    fold_extractors: dict[int, SkillExtractor]


def cross_validate(
    base: SkillExtractor,
    offers: pd.DataFrame,
    labels: pd.DataFrame,
    feature_sets: dict[str, tuple[str, ...]] = TEXT_FEATURE_SETS,
    *,
    blank_text: bool = False,
) -> CrossValidation:
    """Choose feature set, C and threshold by out-of-fold micro F1 over ``offers``' folds.

    ``offers``: offer_id, title, description, rome_code, group, fold; ``labels``: offer_id,
    skill_code. For each fold, the prior is counted and the model fitted on the other folds
    (training rows with leave-group-out priors) and the fold's offers are scored; the setting
    whose pooled out-of-fold scores reach the best F1 wins, with the threshold that reaches it.
    ``blank_text`` scores offers with title and description emptied (the prior-only baseline).
    """
    labels = _labels(labels)
    labelled = offers[offers["offer_id"].isin(set(labels["offer_id"]))].reset_index(drop=True)
    if blank_text:
        labelled = labelled.assign(title="", description="")
    groups = labelled.set_index("offer_id")["group"]
    labels = labels[labels["offer_id"].isin(set(labelled["offer_id"]))]
    labels = labels.assign(group=labels["offer_id"].map(groups))
    folds = sorted(labelled["fold"].unique())
    per_fold = {}
    for fold in folds:
        inside = labelled["fold"] != fold
        train_offers = labelled[inside]
        train_labels = labels[labels["offer_id"].isin(set(train_offers["offer_id"]))]
        fitted = base.with_prior(train_offers, train_labels)
        train_x, train_y = fitted.training_rows(train_offers, train_labels)
        held = fitted.candidates(labelled[~inside])
        per_fold[fold] = (
            fitted,
            train_x[list(FEATURES)].to_numpy(dtype=float),
            train_y,
            held[list(FEATURES)].to_numpy(dtype=float),
            is_label(held, labels),
        )
    positives = len(labels)
    grid, models = [], {}
    for feature_set in feature_sets:
        for c in EXTRACTION.c_values:
            scores, truth = [], []
            fold_models = {}
            for fold, (_, train_x, train_y, held_x, held_y) in per_fold.items():
                model = fit_model(train_x, train_y, feature_set, c)
                fold_models[fold] = model
                scores.append(model.score(held_x))
                truth.append(held_y)
            threshold, f1 = best_threshold(np.concatenate(scores), np.concatenate(truth), positives)
            grid.append({"feature_set": feature_set, "c": c, "threshold": round(threshold, 4), "f1": round(f1, 4)})
            models[(feature_set, c)] = (fold_models, threshold, f1)
    table = pd.DataFrame(grid)
    best = max(models, key=lambda key: (round(models[key][2], 6), -key[1]))
    fold_models, threshold, f1 = models[best]
    extractors = {
        fold: per_fold[fold][0].with_model(
            ScoringModel(model.coef, model.intercept, threshold, model.feature_set, model.c)
        )
        for fold, model in fold_models.items()
    }
    return CrossValidation(best[0], best[1], threshold, f1, table, extractors)


def fitted(
    base: SkillExtractor,
    offers: pd.DataFrame,
    labels: pd.DataFrame,
    feature_sets: dict[str, tuple[str, ...]] = TEXT_FEATURE_SETS,
    *,
    blank_text: bool = False,
) -> tuple[SkillExtractor, CrossValidation]:
    """An extractor fitted on all labelled ``offers`` with the setting cross-validation chose on
    them (threshold included), and that cross-validation."""
    chosen = cross_validate(base, offers, labels, feature_sets, blank_text=blank_text)
    labels = _labels(labels)
    labelled = offers[offers["offer_id"].isin(set(labels["offer_id"]))]
    if blank_text:
        labelled = labelled.assign(title="", description="")
    labels = labels.assign(group=labels["offer_id"].map(labelled.set_index("offer_id")["group"]))
    extractor = base.with_prior(labelled, labels)
    train, y = extractor.training_rows(labelled, labels)
    model = fit_model(train[list(FEATURES)].to_numpy(dtype=float), y, chosen.feature_set, chosen.c, chosen.threshold)
    return extractor.with_model(model), chosen


@dataclass
class CrossFitted:
    """One fitted extractor (prior, model, occupation inferrer) per fold of the labelled offers,
    each applied only to offers of its own fold: no offer is scored by a prior, a model or an
    occupation inferrer that saw its labels, its title, or those of its near duplicates."""

    fold_extractors: dict[int, SkillExtractor]
    known: pd.DataFrame  # offer_id, title, description, rome_code, fold of every fitted offer
    validation: CrossValidation

    @classmethod
    def fit(
        cls, base: SkillExtractor, offers: pd.DataFrame, labels: pd.DataFrame, referential: pd.DataFrame
    ) -> CrossFitted:
        """``offers``: the offers with a known ROME code (offer_id, title, description, rome_code,
        group, fold), ``labels`` the coded competences of some of them, ``referential`` the ROME
        labels (:data:`matching.extractor_inputs.OCCUPATION_LABELS`)."""
        validation = cross_validate(base, offers, labels)
        extractors = {
            fold: extractor.with_occupations(OccupationInferrer.fit(referential, offers[offers["fold"] != fold]))
            for fold, extractor in validation.fold_extractors.items()
        }
        known = offers[[*OFFER_COLUMNS, "fold"]].astype({column: str for column in OFFER_COLUMNS})
        return cls(extractors, known.reset_index(drop=True), validation)

    @classmethod
    def from_inputs(cls, inputs: ExtractorInputs, base: SkillExtractor | None = None) -> CrossFitted:
        """Cross-fitted on every labelled posting of the warehouse (both halves of the evaluation split)."""
        base = base if base is not None else SkillExtractor.from_inputs(inputs)
        return cls.fit(base, inputs.offers, inputs.labels, inputs.occupation_labels)

    def folds_of(self, frame: pd.DataFrame) -> np.ndarray:
        """The fold of each offer of ``frame``: groups are formed over ``frame`` and the fitted
        offers together; a group holding fitted offers takes their fold (that of the smallest
        id), so an offer that is, or copies, a fitted one is scored by the models that never saw
        it; any other group takes the fold of its id's hash (every fold's models are then
        equally unseen). A fitted offer always keeps its own fold: offers that were not fitted
        (a kept extractor scoring later postings, matching.fitted_extractor) may join two
        groups of different folds, and the other fold's models saw its labels."""
        frame = frame[OFFER_COLUMNS].fillna("").astype(str).reset_index(drop=True)
        extra = self.known[~self.known["offer_id"].isin(set(frame["offer_id"]))]
        union = pd.concat([frame, extra[OFFER_COLUMNS]], ignore_index=True)
        union["group"] = near_duplicate_groups(union).to_numpy()
        known_fold = self.known.set_index("offer_id")["fold"]
        union["known_fold"] = union["offer_id"].map(known_fold)
        fitted_members = union.dropna(subset=["known_fold"]).sort_values("offer_id")
        group_fold = fitted_members.drop_duplicates("group").set_index("group")["known_fold"]
        folds = union["group"].map(group_fold)
        folds = folds.fillna(union["group"].map(fold_of))
        folds = union["known_fold"].fillna(folds)
        return folds.iloc[: len(frame)].to_numpy(dtype=np.int64)

    def apply(self, frame: pd.DataFrame, folds: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(skills, inferred occupations) of ``frame``, each offer through its fold's extractor;
        ``folds``: the offers' folds when computed beforehand over more offers (folds_of)."""
        frame = frame[OFFER_COLUMNS].fillna("").astype(str).reset_index(drop=True)
        folds = self.folds_of(frame) if folds is None else np.asarray(folds, dtype=np.int64)
        skills, occupations = [], []
        for fold, extractor in self.fold_extractors.items():
            part = frame[folds == fold]
            if part.empty:
                continue
            occupations.append(extractor.infer_occupations(part))
            skills.append(extractor.extract(part))
        if not skills:
            return _empty_output(), pd.DataFrame(columns=INFERRED_COLUMNS)
        order = pd.Series(np.arange(len(frame)), index=frame["offer_id"].to_numpy())
        skills_frame = pd.concat(skills, ignore_index=True)
        skills_frame = skills_frame.iloc[
            np.lexsort(
                (
                    skills_frame["skill_code"].to_numpy(),
                    -skills_frame["score"].to_numpy(),
                    skills_frame["offer_id"].map(order).to_numpy(),
                )
            )
        ].reset_index(drop=True)
        occupations_frame = pd.concat(occupations, ignore_index=True)
        occupations_frame = occupations_frame.iloc[
            np.argsort(occupations_frame["offer_id"].map(order).to_numpy(), kind="stable")
        ]
        return skills_frame, occupations_frame.reset_index(drop=True)


_CANDIDATE_COLUMNS = (
    "offer_pos",
    "skill_code",
    "cov_sentence",
    "cov_offer",
    "cov_title",
    "in_coherence",
    "core",
    "savoir",
    "count",
)


def _empty_candidates() -> pd.DataFrame:
    frame = pd.DataFrame({column: pd.Series([], dtype=float) for column in _CANDIDATE_COLUMNS})
    return frame.astype({"offer_pos": "int64", "skill_code": "int64"})


def _empty_output() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "offer_id": pd.Series([], dtype=str),
            "skill_code": pd.Series([], dtype="int64"),
            "score": pd.Series([], dtype=float),
            "evidence": pd.Series([], dtype=str),
            "origin": pd.Series([], dtype=str),
        }
    )


# ---------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matching.extract",
        description="Extract ROME 4.0 skills (code_ogr) from the text of France Travail offers.",
    )
    parser.add_argument(
        "--input", required=True, type=Path, help="JSON array of API offers, or an object with 'resultats'"
    )
    parser.add_argument(
        "--output", required=True, type=Path, help="CSV to write: offer_id,skill_code,score,evidence,origin"
    )
    parser.add_argument(
        "--occupations",
        type=Path,
        default=None,
        help="also write offer_id,inferred_rome_code,inferred_rome_confidence to this CSV",
    )
    parser.add_argument(
        "--warehouse",
        required=True,
        type=Path,
        help="a built warehouse (make run: data/warehouse.duckdb): ROME items, ESCO bridge, labelled postings",
    )
    args = parser.parse_args(argv)
    try:
        frame = offers_frame(load_api_offers(args.input))
    except SourceFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        inputs = load_extractor_inputs(args.warehouse)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # Cross-fitted on the warehouse's labelled postings: an input offer that is one of them (or a
    # near duplicate) is scored by the fold's extractor that never saw its labels.
    result, occupations = CrossFitted.from_inputs(inputs).apply(frame)
    _write_csv(result, args.output, OUTPUT_COLUMNS)
    if args.occupations is not None:
        _write_csv(occupations, args.occupations, INFERRED_COLUMNS)
    without_rome = int((frame["rome_code"].str.strip() == "").sum())
    print(
        f"{len(frame)} offers ({without_rome} without ROME code, inferred from their words), "
        f"{len(result)} skills ({int((result['origin'] == TEXT).sum())} named in the text) -> {args.output}",
        file=sys.stderr,
    )
    return 0


def _write_csv(frame: pd.DataFrame, path: Path, columns: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    frame.to_csv(temporary, index=False, columns=columns)
    temporary.replace(path)


if __name__ == "__main__":
    sys.exit(main())
