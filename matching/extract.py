"""Skill extraction from French offer text, mapped to ROME 4.0 items (``code_ogr``).

For each offer (title, description, ROME code) the candidates are the items ROME links to the
offer's occupation (``coherence_item``), the items recruiters listed for that occupation in the
tuning offers, and every item whose label (or alias, or bridged ESCO label) occurs verbatim in the
text. Each candidate gets features:

- ``exact``: the automaton found one of its normalised labels in the text (whole stems, longest
  match, never across a sentence break);
- ``cov_sentence``: the best share, over the offer's sentences, of the item label's IDF weight
  whose stems the sentence contains (TF-IDF coverage of the label by one sentence; that sentence is
  the evidence); ``cov_offer`` the same over the whole offer and ``cov_title`` over the title;
- ``prior``: how often recruiters of the tuning offers list the item for this ROME code
  (count / (offers + 1)), with ``history`` (log of that offer count);
- ``in_coherence``, ``core`` (coeur_metier), ``savoir`` (a knowledge item).

A logistic regression fitted on the tuning offers turns them into a score; items scoring at least
the tuned threshold are emitted. The offer's own ``competences`` are never read: the input frame
has no such column, and the CLI builds it with :func:`matching.offers.offers_frame`, which reads
only id, title, description and ROME code.

Work is batched: the text of a chunk of offers becomes one sparse sentence x stem matrix, scored
against a precomputed stem x item matrix per ROME code; Python touches each offer only to
tokenise it (a regex and a dictionary lookup per token).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from ingestion import rome
from ingestion.errors import SourceFileError
from matching.dictionary import BREAK_CHAR, UNKNOWN_CHAR, SkillDictionary, code_point
from matching.offers import OFFER_COLUMNS, TUNING, bundled, load_api_offers, offers_frame
from matching.text import BREAK, raw_tokens, split_sentences, stem

OUTPUT_COLUMNS = ["offer_id", "skill_code", "score", "evidence"]
EVIDENCE_CHARS = 200
CHUNK_OFFERS = 2_000

FEATURES = (
    "exact",
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

_BREAK_ID, _UNKNOWN_ID, _STOP_ID = -1, -2, -3


def default_snapshot_dir() -> Path:
    configured = os.environ.get("PASSERELLE_SNAPSHOT_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "ingestion" / "snapshot"


@dataclass
class ScoringModel:
    """A logistic score over FEATURES and the threshold above which an item is emitted."""

    coef: np.ndarray
    intercept: float
    threshold: float

    def score(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(features @ self.coef + self.intercept)))


# Used when no tuning offers are given: a text-only score (no recruiter prior), so that the
# extractor still works on an occupation never seen in tuning.
TEXT_ONLY_MODEL = ScoringModel(
    coef=np.array([3.0, 4.0, 1.0, 1.0, 0, 0, 0, 0.5, 0.3, 0, 0, 1.0, 0, 0, 0, 0, 0, 0]),
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
    hits: pd.DataFrame  # offer_pos, skill_code, sentence (local index)


@dataclass
class _RomeCandidates:
    codes: np.ndarray
    weights: sparse.csc_matrix  # stem x candidate, columns sum to 1
    static: pd.DataFrame  # in_coherence, core, savoir, count (indexed like codes)
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

    def __post_init__(self) -> None:
        vocabulary = self.dictionary.vocabulary
        self._automaton = self.dictionary.automaton()
        self._id_cache: dict[str, int] = {}
        self._char_cache: dict[str, str] = {}
        self._vocabulary_size = len(vocabulary)
        self._item_columns, self._item_matrix = self._build_item_matrix()
        self._by_rome: dict[str, _RomeCandidates] = {}
        self._coherence_by_rome = {
            code: group for code, group in self.coherence.groupby("code_rome", sort=False)
        }
        self._prior_by_rome = {
            code: group for code, group in self.prior_counts.groupby("rome_code", sort=False)
        }
        self._coherence_size = self.coherence.groupby("code_rome").size().to_dict()
        self._item_codes_sorted: np.ndarray | None = None
        self._item_counts_sorted: np.ndarray | None = None
        del vocabulary

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_snapshot(
        cls,
        snapshot_dir: Path | None = None,
        *,
        tuning_offers: pd.DataFrame | None = None,
        tuning_labels: pd.DataFrame | None = None,
    ) -> SkillExtractor:
        """An extractor fitted on tuning offers (default: the bundled offers' tuning split).

        ``tuning_offers``: offer_id, title, description, rome_code; ``tuning_labels``: offer_id,
        skill_code (the recruiters' coded competences of those offers). Pass an empty frame as
        ``tuning_offers`` for an unfitted, text-only extractor.
        """
        snapshot_dir = Path(snapshot_dir) if snapshot_dir is not None else default_snapshot_dir()
        dictionary = SkillDictionary.from_snapshot(snapshot_dir)
        coherence = rome.parse("coherence_items", snapshot_dir).rows[["code_rome", "code_ogr", "coeur_metier"]]
        coherence = coherence.astype({"code_rome": str, "code_ogr": "int64"}).drop_duplicates(["code_rome", "code_ogr"])
        items = rome.parse("items", snapshot_dir).rows
        savoirs = frozenset(items.loc[items["code_rubrique"] == 3, "code_ogr"].astype("int64"))
        if tuning_offers is None:
            offers, labels = bundled(snapshot_dir)
            tuning_offers = offers[offers["split"] == TUNING]
            tuning_labels = labels[labels["split"] == TUNING]
        extractor = cls(dictionary, coherence.reset_index(drop=True), savoirs)
        if len(tuning_offers) and tuning_labels is not None and len(tuning_labels):
            extractor.fit(tuning_offers, tuning_labels)
        return extractor

    def _build_item_matrix(self) -> tuple[dict[int, int], sparse.csc_matrix]:
        """Stem x item matrix of the ROME labels, IDF-weighted, each column summing to 1."""
        entries = self.dictionary.entries
        labels = entries[entries["origin"] == "rome"].drop_duplicates("skill_code")
        vocabulary = self.dictionary.vocabulary
        rows, cols = [], []
        for column, pattern in enumerate(labels["pattern"]):
            stems = {vocabulary[token] for token in pattern.split(" ")}
            rows.extend(stems)
            cols.extend([column] * len(stems))
        rows_a, cols_a = np.asarray(rows), np.asarray(cols)
        document_frequency = np.bincount(rows_a, minlength=self._vocabulary_size)
        idf = np.log((1 + len(labels)) / (1 + document_frequency)) + 1.0
        matrix = sparse.csc_matrix(
            (idf[rows_a], (rows_a, cols_a)), shape=(self._vocabulary_size, len(labels))
        )
        totals = np.asarray(matrix.sum(axis=0)).ravel()
        matrix = matrix @ sparse.diags(1.0 / np.where(totals > 0, totals, 1.0))
        columns = dict(zip(labels["skill_code"].astype("int64"), range(len(labels)), strict=True))
        return columns, matrix.tocsc()

    def fit(self, offers: pd.DataFrame, labels: pd.DataFrame) -> SkillExtractor:
        """Learn the recruiter prior and the scoring model from labelled tuning offers.

        Only offers with at least one label are used. Their own labels are left out of the prior
        they are scored with (leave-one-out), so that the model learns how much the prior is worth
        on an offer it has not seen.
        """
        from sklearn.linear_model import LogisticRegression

        labels = labels[["offer_id", "skill_code"]].astype({"offer_id": str, "skill_code": "int64"})
        offers = offers[offers["offer_id"].isin(set(labels["offer_id"]))][OFFER_COLUMNS].reset_index(drop=True)
        labels = labels[labels["offer_id"].isin(set(offers["offer_id"]))].drop_duplicates()
        with_rome = labels.merge(offers[["offer_id", "rome_code"]], on="offer_id")
        self.prior_counts = (
            with_rome.groupby(["rome_code", "skill_code"]).size().rename("count").reset_index()
        )
        self.rome_offers = offers.groupby("rome_code").size().to_dict()
        self.item_counts = labels.groupby("skill_code").size().to_dict()
        self._item_codes_sorted = None
        self._prior_by_rome = {code: group for code, group in self.prior_counts.groupby("rome_code", sort=False)}
        self._by_rome = {}

        candidates = self.candidates(offers, leave_out=labels)
        truth = set(zip(labels["offer_id"], labels["skill_code"], strict=True))
        y = np.fromiter(
            ((o, c) in truth for o, c in zip(candidates["offer_id"], candidates["skill_code"], strict=True)),
            dtype=bool,
            count=len(candidates),
        )
        x = candidates[list(FEATURES)].to_numpy(dtype=float)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        regression = LogisticRegression(C=0.3, max_iter=3_000).fit((x - mean) / scale, y)
        coef = regression.coef_.ravel() / scale
        intercept = float(regression.intercept_[0] - (coef * mean).sum())
        scores = 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
        self.model = ScoringModel(coef, intercept, best_threshold(scores, y, len(truth)))
        return self

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
        ids_cache, chars_cache, automaton = self._id_cache, self._char_cache, self._automaton
        all_ids: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        hit_offer: list[int] = []
        hit_code: list[int] = []
        hit_sentence: list[int] = []
        for position, text in enumerate(texts):
            tokens = raw_tokens(text)
            try:
                ids = [ids_cache[token] for token in tokens]
            except KeyError:
                for token in tokens:
                    if token not in ids_cache:
                        self._classify(token)
                ids = [ids_cache[token] for token in tokens]
            all_ids.extend(ids)
            lengths[position] = len(ids)
            encoded = "".join([chars_cache[token] for token in tokens])
            for end, (_length, codes) in automaton.iter_long(encoded):
                sentence = encoded.count(BREAK_CHAR, 0, end)
                for code in codes:
                    hit_offer.append(position)
                    hit_code.append(code)
                    hit_sentence.append(sentence)

        ids_a = np.asarray(all_ids, dtype=np.int64)
        offer_of = np.repeat(np.arange(len(texts)), lengths)
        is_break = ids_a == _BREAK_ID
        breaks_before = np.cumsum(is_break) - is_break
        offer_token_start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        breaks_at_start = np.concatenate([[0], np.cumsum(is_break)])[offer_token_start] if len(ids_a) else np.zeros(len(texts), dtype=np.int64)
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
            }
        ).drop_duplicates(["offer_pos", "skill_code"])
        return _Encoded(sentences, offers, sentence_start, sentence_count, hits)

    # ------------------------------------------------------------------ candidates
    def _rome_candidates(self, rome_code: str) -> _RomeCandidates:
        cached = self._by_rome.get(rome_code)
        if cached is not None:
            return cached
        coherent = self._coherence_by_rome.get(rome_code)
        prior = self._prior_by_rome.get(rome_code)
        table = pd.DataFrame({"skill_code": pd.Series([], dtype="int64")})
        if coherent is not None:
            table = pd.DataFrame(
                {
                    "skill_code": coherent["code_ogr"].to_numpy(),
                    "in_coherence": 1.0,
                    "core": coherent["coeur_metier"].notna().to_numpy(dtype=float),
                }
            )
        if prior is not None:
            table = table.merge(
                prior[["skill_code", "count"]].astype({"skill_code": "int64"}), on="skill_code", how="outer"
            )
        for column in ("in_coherence", "core", "count"):
            if column not in table:
                table[column] = 0.0
        table = table.fillna(0.0)
        table = table[table["skill_code"].isin(self._item_columns)].reset_index(drop=True)
        table["savoir"] = table["skill_code"].isin(self.savoir_codes).astype(float)
        columns = table["skill_code"].map(self._item_columns).to_numpy()
        result = _RomeCandidates(
            codes=table["skill_code"].to_numpy(dtype=np.int64),
            weights=self._item_matrix[:, columns].tocsc(),
            static=table[["in_coherence", "core", "savoir", "count"]].astype(float),
            offers_seen=int(self.rome_offers.get(rome_code, 0)),
        )
        self._by_rome[rome_code] = result
        return result

    def candidates(self, frame: pd.DataFrame, leave_out: pd.DataFrame | None = None) -> pd.DataFrame:
        """Every candidate (offer, item) of the frame with its features (no threshold).

        ``leave_out`` (offer_id, skill_code): labels to remove from the prior of their own offer,
        used only when fitting on the tuning offers.
        """
        frame = frame[OFFER_COLUMNS].astype(str)
        parts = []
        for start in range(0, len(frame), CHUNK_OFFERS):
            chunk = frame.iloc[start : start + CHUNK_OFFERS].reset_index(drop=True)
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
            parts.append(self._score_rome(rome_code, positions.to_numpy(), encoded))
        table = pd.concat(parts, ignore_index=True) if parts else _empty_candidates()

        # Exact hits: mark candidates, add items outside the occupation's candidates.
        hits = encoded.hits
        table = table.merge(hits, on=["offer_pos", "skill_code"], how="outer", indicator=True)
        table["exact"] = (table["_merge"] != "left_only").astype(float)
        outside = table["_merge"] == "right_only"
        for column in ("cov_sentence", "cov_offer", "cov_title"):
            table.loc[outside, column] = 1.0
        for column in ("in_coherence", "core", "count", "history"):
            table.loc[outside, column] = 0.0
        table.loc[outside, "savoir"] = table.loc[outside, "skill_code"].isin(self.savoir_codes).astype(float)
        table["best_sentence"] = table["best_sentence"].where(table["_merge"] == "left_only", table["sentence"])
        table = table.drop(columns=["_merge", "sentence"])
        positions = table["offer_pos"].to_numpy()
        rome_series = pd.Series(rome_codes)
        offers_seen = rome_series.map(self.rome_offers).fillna(0).to_numpy(dtype=float)[positions]
        coherence_size = rome_series.map(self._coherence_size).fillna(0).to_numpy(dtype=float)[positions]
        counts = table["count"].to_numpy(dtype=float)
        global_counts = self._global_counts(table["skill_code"].to_numpy(dtype=np.int64))
        labelled_offers = float(sum(self.rome_offers.values()))
        if leave_out is not None:
            offer_position = pd.Series(np.arange(len(frame)), index=frame["offer_id"].to_numpy())
            own_pairs = leave_out.assign(offer_pos=leave_out["offer_id"].map(offer_position)).dropna(subset=["offer_pos"])
            own = table[["offer_pos", "skill_code"]].merge(
                own_pairs[["offer_pos", "skill_code"]].astype("int64").assign(_own=1.0),
                on=["offer_pos", "skill_code"], how="left",
            )["_own"].fillna(0.0).to_numpy()
            counts = counts - own
            global_counts = global_counts - own
            labelled_offers -= 1.0
            offers_seen = offers_seen - frame["offer_id"].isin(set(leave_out["offer_id"])).to_numpy()[positions]
            # An item only a candidate because this offer listed it would not be one unseen.
            keep = (counts > 0) | (table["in_coherence"].to_numpy() > 0) | (table["exact"].to_numpy() > 0)
            table = table[keep].reset_index(drop=True)
            counts, offers_seen, global_counts = counts[keep], offers_seen[keep], global_counts[keep]
            coherence_size = coherence_size[keep]
        table["prior"] = counts / (offers_seen + 1.0)
        table["history"] = np.log1p(np.maximum(offers_seen, 0.0))
        table["prior_x_cov"] = table["prior"] * table["cov_sentence"]
        table["global_prior"] = global_counts / (max(labelled_offers, 0.0) + 1.0)
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
        table["best_sentence"] = table["best_sentence"].fillna(0).astype(np.int64)
        return table

    def _global_counts(self, codes: np.ndarray) -> np.ndarray:
        """How many labelled tuning offers list each item, whatever their occupation."""
        if self._item_codes_sorted is None:
            pairs = sorted(self.item_counts.items())
            self._item_codes_sorted = np.array([code for code, _ in pairs], dtype=np.int64)
            self._item_counts_sorted = np.array([count for _, count in pairs], dtype=float)
        known, counts = self._item_codes_sorted, self._item_counts_sorted
        if len(known) == 0:
            return np.zeros(len(codes))
        index = np.minimum(np.searchsorted(known, codes), len(known) - 1)
        return np.where(known[index] == codes, counts[index], 0.0)

    def _score_rome(self, rome_code: str, positions: np.ndarray, encoded: _Encoded) -> pd.DataFrame:
        candidates = self._rome_candidates(rome_code)
        n_items = len(candidates.codes)
        if n_items == 0:
            return _empty_candidates()
        counts = encoded.sentence_count[positions]
        starts = encoded.sentence_start[positions]
        segment_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rows = np.repeat(starts - segment_start, counts) + np.arange(int(counts.sum()))
        coverage = (encoded.sentences[rows] @ candidates.weights).toarray()
        best = np.maximum.reduceat(coverage, segment_start, axis=0)
        # The first sentence reaching the best coverage is the evidence.
        is_best = coverage >= np.repeat(best, counts, axis=0) - 1e-12
        local_offer = np.repeat(np.arange(len(positions)), counts)
        best_row, best_item = np.nonzero(is_best)
        best_sentence = np.zeros((len(positions), n_items), dtype=np.int64)
        best_sentence[local_offer[best_row[::-1]], best_item[::-1]] = (best_row - segment_start[local_offer[best_row]])[::-1]
        offer_coverage = (encoded.offers[positions] @ candidates.weights).toarray()
        title_coverage = coverage[segment_start]

        static = candidates.static
        return pd.DataFrame(
            {
                "offer_pos": np.repeat(positions, n_items),
                "skill_code": np.tile(candidates.codes, len(positions)),
                "cov_sentence": best.ravel(),
                "cov_offer": offer_coverage.ravel(),
                "cov_title": title_coverage.ravel(),
                "in_coherence": np.tile(static["in_coherence"].to_numpy(), len(positions)),
                "core": np.tile(static["core"].to_numpy(), len(positions)),
                "savoir": np.tile(static["savoir"].to_numpy(), len(positions)),
                "count": np.tile(static["count"].to_numpy(), len(positions)),
                "best_sentence": best_sentence.ravel(),
            }
        )

    # ------------------------------------------------------------------ extraction
    def extract(self, frame: pd.DataFrame) -> pd.DataFrame:
        """offer_id, skill_code, score, evidence for the offers of ``frame``.

        ``frame`` has columns offer_id, title, description, rome_code; any other column (a
        ``competences`` list in particular) is ignored. Evidence is the offer's sentence that best
        covers the item's label (at most 200 characters), or '' when the item comes from the
        occupation's prior alone with no word of its label in the text.
        """
        frame = frame[OFFER_COLUMNS].astype(str).reset_index(drop=True)
        parts = [
            self._extract_chunk(frame.iloc[start : start + CHUNK_OFFERS].reset_index(drop=True))
            for start in range(0, len(frame), CHUNK_OFFERS)
        ]
        if not parts:
            return _empty_output()
        return pd.concat(parts, ignore_index=True)

    def exact_matches(self, frame: pd.DataFrame) -> pd.DataFrame:
        """offer_id, skill_code of the items whose label occurs verbatim (after normalisation)."""
        frame = frame[OFFER_COLUMNS].astype(str).reset_index(drop=True)
        parts = []
        for start in range(0, len(frame), CHUNK_OFFERS):
            chunk = frame.iloc[start : start + CHUNK_OFFERS].reset_index(drop=True)
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
        chosen = table.loc[keep, ["offer_pos", "skill_code", "best_sentence", "cov_sentence"]].copy()
        chosen["offer_id"] = frame["offer_id"].to_numpy()[chosen["offer_pos"].to_numpy()]
        chosen["score"] = np.round(scores[keep], 4)
        chosen = chosen.sort_values(["offer_pos", "score", "skill_code"], ascending=[True, False, True])
        chosen["evidence"] = _evidence(frame, chosen)
        out = chosen[OUTPUT_COLUMNS].reset_index(drop=True)
        return out.astype({"offer_id": str, "skill_code": "int64", "score": float, "evidence": str})


def _evidence(frame: pd.DataFrame, chosen: pd.DataFrame) -> list[str]:
    titles, descriptions = frame["title"].to_numpy(), frame["description"].to_numpy()
    evidence: list[str] = []
    pieces: list[str] = []
    current = -1
    for position, sentence, covered in zip(
        chosen["offer_pos"].to_numpy(), chosen["best_sentence"].to_numpy(), chosen["cov_sentence"].to_numpy(), strict=True
    ):
        if covered <= 0:
            evidence.append("")
            continue
        if position != current:
            pieces = split_sentences(f"{titles[position]}\n{descriptions[position]}")
            current = position
        text = " ".join(pieces[sentence].split()) if sentence < len(pieces) else ""
        evidence.append(text[:EVIDENCE_CHARS])
    return evidence


def best_threshold(scores: np.ndarray, y: np.ndarray, positives: int) -> float:
    """The score threshold that maximises micro F1; ``positives`` counts every gold label."""
    order = np.argsort(-scores, kind="stable")
    true_positives = np.cumsum(y[order])
    predicted = np.arange(1, len(scores) + 1)
    f1 = 2 * true_positives / (predicted + positives)
    best = int(np.argmax(f1))
    return float(scores[order][best])


def _empty_candidates() -> pd.DataFrame:
    columns = ["offer_pos", "skill_code", "cov_sentence", "cov_offer", "cov_title", "in_coherence", "core", "savoir", "count", "best_sentence"]
    frame = pd.DataFrame({column: pd.Series([], dtype=float) for column in columns})
    return frame.astype({"offer_pos": "int64", "skill_code": "int64", "best_sentence": "int64"})


def _empty_output() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "offer_id": pd.Series([], dtype=str),
            "skill_code": pd.Series([], dtype="int64"),
            "score": pd.Series([], dtype=float),
            "evidence": pd.Series([], dtype=str),
        }
    )


# ---------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m matching.extract",
        description="Extract ROME 4.0 skills (code_ogr) from the text of France Travail offers.",
    )
    parser.add_argument("--input", required=True, type=Path, help="JSON array of API offers, or an object with 'resultats'")
    parser.add_argument("--output", required=True, type=Path, help="CSV to write: offer_id,skill_code,score,evidence")
    parser.add_argument(
        "--snapshot-dir",
        type=Path,
        default=None,
        help="snapshot holding rome_v460/ and esco/ (default: PASSERELLE_SNAPSHOT_DIR or the bundled one)",
    )
    args = parser.parse_args(argv)
    try:
        frame = offers_frame(load_api_offers(args.input))
    except SourceFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    extractor = SkillExtractor.from_snapshot(args.snapshot_dir)
    result = extractor.extract(frame)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_name(args.output.name + ".tmp")
    result.to_csv(temporary, index=False, columns=OUTPUT_COLUMNS)
    temporary.replace(args.output)
    print(f"{len(frame)} offers, {len(result)} skills -> {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
