"""What a training teaches, read from text: RNCP skill blocks and catalogue content -> ROME 4.0 items.

Two texts say which skills a training teaches beyond the core items of its occupations: the skill
blocks of its certification (France compétences' Kit apprentissage v1.4 ``rncp_blocs_competences``,
one label per block) and, in a few catalogues (LHEO ``contenu-formation``/``objectif-formation``,
the CPF sample), the training's own content text. Both are mapped to ROME 4.0 items (``code_ogr``)
with the skill extractor's text machinery (:mod:`matching.text` stems, and the TF-IDF *coverage* of
:mod:`matching.extract`): the share of an item label's IDF weight whose stems one sentence of the
text holds. An item is kept when one sentence covers at least ``coverage_threshold`` of it
(:data:`matching.config.TRAINING_SKILLS`).

Candidates are blocked as in the extractor: only the items ROME links to the text's occupations
(``coherence_item`` of the certification's ROME codes for a block; of the training's linked ROME
codes for a content text). That keeps the generic one-word items ("Finance", "Patients") from
matching every text that happens to contain the word, and keeps the work to one small dense
product per ROME code (a loop over ROME codes, never over rows).

Threshold: 0.6, a judgement, not a measurement (no gold mapping of RNCP blocks to ROME items
exists): reading 12 random (block, item) pairs per coverage band of the bundled Kit, about 5 in 12
are right in [0.5, 0.6), 9 to 10 in 12 in [0.6, 0.75), and nearly all above 0.75.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from matching.config import TRAINING_SKILLS
from matching.text import split_sentences, stems
from matching.tfidf import fit_stem_tfidf

OUTPUT_COLUMNS = ["text_id", "skill_code", "coverage", "evidence"]


@dataclass
class ItemMatcher:
    """ROME item labels as a stem x item matrix of TF-IDF weights (:mod:`matching.tfidf`), each item's
    weights summing to 1."""

    vocabulary: dict[str, int]
    weights: sparse.csc_matrix  # stem x item
    item_position: pd.Series  # skill_code -> column

    @classmethod
    def fit(cls, items: pd.DataFrame) -> ItemMatcher:
        """``items``: skill_code, label (every ROME 4.0 item, so that IDF is that of the referential)."""
        items = items.dropna(subset=["skill_code", "label"]).drop_duplicates("skill_code").reset_index(drop=True)
        tokens = [stems(str(label)) for label in items["label"]]
        vocabulary: dict[str, int] = {}
        for item_stems in tokens:
            for token in item_stems:
                vocabulary.setdefault(token, len(vocabulary))
        _, weighted = fit_stem_tfidf(tokens, vocabulary)
        totals = np.asarray(weighted.sum(axis=1)).ravel()
        weighted = sparse.diags(1.0 / np.where(totals > 0, totals, 1.0)) @ weighted
        position = pd.Series(np.arange(len(items)), index=items["skill_code"].astype("int64").to_numpy())
        return cls(vocabulary, weighted.T.tocsc(), position)

    def match(
        self, texts: pd.DataFrame, group_items: pd.DataFrame, *, threshold: float = TRAINING_SKILLS.coverage_threshold
    ) -> pd.DataFrame:
        """OUTPUT_COLUMNS: the candidate items a sentence of the text covers at ``threshold`` or more.

        ``texts``: text_id, text, group (a text may have several rows, one per group, e.g. one per
        ROME code of its certification); ``group_items``: group, skill_code (the candidates of each
        group). Coverage is the best over the text's sentences and groups; evidence is the first
        sentence reaching it.
        """
        texts = texts.dropna(subset=["text"]).astype({"text_id": str, "text": str, "group": str})
        unique_texts = texts.drop_duplicates("text_id").reset_index(drop=True)
        if unique_texts.empty:
            return _empty_output()
        pieces = [split_sentences(text) for text in unique_texts["text"]]
        counts = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
        sentences = [sentence for text_pieces in pieces for sentence in text_pieces]
        sentence_text = np.repeat(np.arange(len(unique_texts)), counts)
        sentence_matrix = presence_matrix([stems(sentence) for sentence in sentences], self.vocabulary)
        text_position = pd.Series(np.arange(len(unique_texts)), index=unique_texts["text_id"].to_numpy())

        candidates = group_items.dropna().astype({"group": str, "skill_code": "int64"})
        candidates = candidates[candidates["skill_code"].isin(self.item_position.index)]
        pairs = texts[["text_id", "group"]].drop_duplicates().merge(candidates, on="group")
        sentence_rows = pd.DataFrame({"text_pos": sentence_text, "sentence_row": np.arange(len(sentences))})
        parts = []
        for _, group in pairs.groupby("group", sort=True):
            positions = np.unique(text_position[group["text_id"].unique()].to_numpy())
            rows = sentence_rows[np.isin(sentence_text, positions)]
            columns = self.item_position[np.unique(group["skill_code"].to_numpy())].to_numpy()
            coverage = (sentence_matrix[rows["sentence_row"].to_numpy()] @ self.weights[:, columns]).toarray()
            hit_row, hit_column = np.nonzero(coverage >= threshold - 1e-9)
            parts.append(
                pd.DataFrame(
                    {
                        "text_pos": rows["text_pos"].to_numpy()[hit_row],
                        "sentence_row": rows["sentence_row"].to_numpy()[hit_row],
                        "column": columns[hit_column],
                        "coverage": coverage[hit_row, hit_column],
                    }
                )
            )
        if not parts:
            return _empty_output()
        found = pd.concat(parts, ignore_index=True)
        found = found.sort_values(
            ["text_pos", "column", "coverage", "sentence_row"], ascending=[True, True, False, True]
        )
        found = found.drop_duplicates(["text_pos", "column"])
        item_codes = self.item_position.index.to_numpy()
        return (
            pd.DataFrame(
                {
                    "text_id": unique_texts["text_id"].to_numpy()[found["text_pos"].to_numpy()],
                    "skill_code": item_codes[found["column"].to_numpy()],
                    "coverage": found["coverage"].round(4).to_numpy(),
                    "evidence": [
                        " ".join(sentences[row].split())[: TRAINING_SKILLS.evidence_chars]
                        for row in found["sentence_row"]
                    ],
                }
            )
            .sort_values(["text_id", "skill_code"])
            .reset_index(drop=True)
        )


def presence_matrix(tokens: list[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Text x stem presence matrix (1 where the text holds the stem; unknown stems dropped)."""
    lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
    columns = np.asarray([vocabulary.get(token, -1) for text_tokens in tokens for token in text_tokens], dtype=np.int64)
    rows = np.repeat(np.arange(len(tokens)), lengths)
    known = columns >= 0
    matrix = sparse.csr_matrix(
        (np.ones(int(known.sum())), (rows[known], columns[known])), shape=(len(tokens), len(vocabulary))
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of a 1-D array by one sort (numpy's hash-based unique is far slower here)."""
    ordered = np.sort(values, kind="stable")
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def _empty_output() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text_id": pd.Series([], dtype=str),
            "skill_code": pd.Series([], dtype="int64"),
            "coverage": pd.Series([], dtype=float),
            "evidence": pd.Series([], dtype=str),
        }
    )
