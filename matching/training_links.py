"""Training -> ROME occupation by text similarity: the last link method of ``training_occupations``.

A training that no catalogue code, RNCP fiche or diploma code links to an occupation still has a
title (and, in a few catalogues, a content text). This module compares that text with the labels
of ROME 4.0: the fiche labels and their appellations (``stg_rome__occupations``,
``stg_rome__appellations``), using the skill extractor's text machinery (:mod:`matching.text`:
case and accent folding, elisions, stop words, Snowball stems).

Similarity: each ROME label is a TF-IDF vector over stems (IDF computed over the labels, so that
"agent", "technicien" or "responsable" weigh little and "plaquiste" much), L2-normalised. A
training's text becomes a vector over the same vocabulary (stems no ROME label uses carry no
evidence and are left out; certification boilerplate such as "BTS", "option", "titre professionnel"
is dropped first). The content text, when there is one, is added with weight ``content_weight``
after both parts are normalised. The similarity of a training to a fiche blends the best cosine
over the fiche's labels (weight ``label_weight``) with the cosine to the fiche's whole bag of labels
(the rest), so that a title matching one appellation exactly and a title echoing several of a
fiche's appellations both score; to a historic v3 code (``code_rome_parent``), the best over its
fiches. The ``top_k`` best parent codes whose similarity reaches the threshold become links, each
through its best fiche, with confidence = the similarity (0 to 1). ``label_weight`` and the
threshold are chosen on the tuning part of the trainings whose codes are known
(:func:`evaluate_links`; see :mod:`matching.training_text` for the evaluation units). The settings
(``content_weight``, ``top_k``, the grids) are :data:`matching.config.TRAINING_LINKS`.

All the work is sparse-matrix products over distinct texts; Python touches each distinct text only
to tokenise it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.config import TRAINING_LINKS
from matching.offers import REPORT, TUNING
from matching.text import fold, stems
from matching.tfidf import fit_stem_tfidf
from matching.training_skills import sorted_unique

# Certification-title words that name the kind of diploma, not the occupation. Folded, unstemmed:
# they are compared with the folded token before stemming.
TITLE_BOILERPLATE: frozenset[str] = frozenset(
    """
    cap bts btsa bac bacpro pro bp bm mc cqp cqpi dut but dnmade deust dcg dscg licence master
    titre titres professionnel professionnelle diplome certificat certification mention option
    options specialite parcours annee niveau apprentissage alternance formation qualification
    ere eme 1ere 2eme 3eme 1 2 3 4 5 6 7 a b c
    """.split()
)

# "Chef / Cheffe d'agence" -> "Chef d'agence"; "Ajusteur-monteur / Ajusteuse-monteuse" ->
# "Ajusteur-monteur": the feminine form only repeats the stem or adds a near-duplicate one.
_FEMININE = re.compile(r"\s*/\s*[^\s/]+")

LINK_COLUMNS = ["training_id", "rome_code", "parent_rome_code", "similarity", "rank"]


def _title_stems(text: str) -> list[str]:
    words = fold(text).replace("-", " ").split()
    return stems(" ".join(word for word in words if word.strip(".,;:()'/") not in TITLE_BOILERPLATE))


@dataclass
class TitleLinker:
    """ROME labels and fiches as L2-normalised TF-IDF matrices, and how to rank fiches for a text."""

    tfidf: TfidfVectorizer  # fitted on the labels (:mod:`matching.tfidf`)
    labels: sparse.csr_matrix  # label x stem
    fiches: sparse.csr_matrix  # fiche x stem: the sum of its labels' vectors, normalised
    label_fiche: np.ndarray  # fiche index of each label row
    fiche_codes: np.ndarray  # ROME 4.0 fiche code
    fiche_parents: np.ndarray  # its code_rome_parent

    @classmethod
    def fit(cls, rome_labels: pd.DataFrame) -> TitleLinker:
        """``rome_labels``: rome_code, parent_rome_code, label (fiche labels and appellations)."""
        frame = rome_labels.dropna(subset=["rome_code", "label"]).astype({"rome_code": str, "label": str})
        frame = frame.assign(parent_rome_code=frame["parent_rome_code"].fillna(frame["rome_code"]).astype(str))
        fiches = frame.drop_duplicates("rome_code").sort_values("rome_code").reset_index(drop=True)
        fiche_index = pd.Series(np.arange(len(fiches)), index=fiches["rome_code"].to_numpy())
        frame = frame.drop_duplicates(["rome_code", "label"]).sort_values(["rome_code", "label"]).reset_index(drop=True)
        tokens = [_label_stems(label) for label in frame["label"]]
        vocabulary: dict[str, int] = {}
        for label_stems in tokens:
            for token in label_stems:
                vocabulary.setdefault(token, len(vocabulary))
        tfidf, weights = fit_stem_tfidf(tokens, vocabulary)
        labels = _l2(weights)
        label_fiche = fiche_index[frame["rome_code"].to_numpy()].to_numpy()
        membership = sparse.csr_matrix(
            (np.ones(len(label_fiche)), (label_fiche, np.arange(len(label_fiche)))),
            shape=(len(fiches), len(label_fiche)),
        )
        return cls(
            tfidf=tfidf,
            labels=labels,
            fiches=_l2(membership @ labels),
            label_fiche=label_fiche,
            fiche_codes=fiches["rome_code"].to_numpy(dtype=str),
            fiche_parents=fiches["parent_rome_code"].to_numpy(dtype=str),
        )

    def encode(self, titles: list[str], contents: list[str] | None = None) -> sparse.csr_matrix:
        """Text x stem TF-IDF matrix (rows L2-normalised; an empty row when no stem is known)."""
        title_matrix = self._tfidf([_title_stems(title) for title in titles])
        if contents is None:
            return title_matrix
        return _l2(title_matrix + TRAINING_LINKS.content_weight * self._tfidf([stems(content) for content in contents]))

    def _tfidf(self, tokens: list[list[str]]) -> sparse.csr_matrix:
        return _l2(self.tfidf.transform(tokens))

    def similarities(self, texts: pd.DataFrame) -> pd.DataFrame:
        """text_pos, fiche, label_sim, fiche_sim for every (text, fiche) sharing a stem.

        ``texts``: title and content (may be empty strings), one row per distinct text;
        ``label_sim`` is the best cosine over the fiche's labels, ``fiche_sim`` the cosine with
        the fiche's whole bag of labels.
        """
        parts = []
        fiche_count = len(self.fiche_codes)
        for start in range(0, len(texts), TRAINING_LINKS.chunk_texts):
            chunk = texts.iloc[start : start + TRAINING_LINKS.chunk_texts]
            contents = chunk["content"].tolist() if chunk["content"].str.len().gt(0).any() else None
            encoded = self.encode(chunk["title"].tolist(), contents)
            # Best label of each (text, fiche): the maximum over the fiche's labels, by sorting
            # the (text, fiche) keys of the label products and reducing each run.
            by_label = (encoded @ self.labels.T).tocoo()
            label_keys = by_label.row.astype(np.int64) * fiche_count + self.label_fiche[by_label.col]
            order = np.argsort(label_keys, kind="stable")
            label_keys = label_keys[order]
            run_starts = (
                np.flatnonzero(np.r_[True, label_keys[1:] != label_keys[:-1]])
                if len(label_keys)
                else np.zeros(0, dtype=np.int64)
            )
            best_keys = label_keys[run_starts]
            best = np.maximum.reduceat(by_label.data[order], run_starts) if len(run_starts) else np.zeros(0)
            by_fiche = (encoded @ self.fiches.T).tocoo()
            fiche_keys = by_fiche.row.astype(np.int64) * fiche_count + by_fiche.col
            keys = sorted_unique(np.concatenate([best_keys, fiche_keys]))
            label_sim = np.zeros(len(keys))
            label_sim[np.searchsorted(keys, best_keys)] = best
            fiche_sim = np.zeros(len(keys))
            fiche_sim[np.searchsorted(keys, fiche_keys)] = by_fiche.data
            parts.append(
                pd.DataFrame(
                    {
                        "text_pos": keys // fiche_count + start,
                        "fiche": keys % fiche_count,
                        "label_sim": label_sim,
                        "fiche_sim": fiche_sim,
                    }
                )
            )
        if not parts:
            return pd.DataFrame({"text_pos": [], "fiche": [], "label_sim": [], "fiche_sim": []})
        return pd.concat(parts, ignore_index=True)

    def top_parents(
        self, similarities: pd.DataFrame, *, label_weight: float, top_k: int = TRAINING_LINKS.top_k
    ) -> pd.DataFrame:
        """text_pos, rome_code, parent_rome_code, similarity, rank: the ``top_k`` best parent codes.

        similarity = label_weight * label_sim + (1 - label_weight) * fiche_sim, rounded to 4 digits;
        each parent code through its best fiche; ties broken on the code.
        """
        # Set-based on integer arrays: the fiches are numbered in code order (fit), so sorting on
        # the fiche number breaks ties on the code; strings are made only for the rows kept.
        blended = label_weight * similarities["label_sim"] + (1 - label_weight) * similarities["fiche_sim"]
        similarity = blended.round(4).to_numpy(dtype=float)
        text_pos = similarities["text_pos"].to_numpy(dtype=np.int64)
        fiche = similarities["fiche"].to_numpy(dtype=np.int64)
        order = np.lexsort((fiche, -similarity, text_pos))
        text_pos, fiche, similarity = text_pos[order], fiche[order], similarity[order]
        # Each parent code through its best fiche: the first of its (text, parent) pair in that order.
        parent_ids, parent_names = pd.factorize(self.fiche_parents)
        pair = text_pos * max(len(parent_names), 1) + parent_ids[fiche]
        _, first = np.unique(pair, return_index=True)
        best = np.sort(first)
        text_pos, fiche, similarity = text_pos[best], fiche[best], similarity[best]
        run_start = np.flatnonzero(np.r_[True, text_pos[1:] != text_pos[:-1]]) if len(text_pos) else np.zeros(0, int)
        rank = np.arange(len(text_pos)) - np.repeat(run_start, np.diff(np.r_[run_start, len(text_pos)])) + 1
        kept = rank <= top_k
        return pd.DataFrame(
            {
                "text_pos": text_pos[kept],
                "rome_code": self.fiche_codes[fiche[kept]],
                "parent_rome_code": self.fiche_parents[fiche[kept]],
                "similarity": similarity[kept],
                "rank": rank[kept],
            }
        )


def distinct_texts(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct (title, content) pairs of ``frame`` and the position of each row among them."""
    title = frame["title"].fillna("").astype(str)
    content = frame["content"].fillna("").astype(str) if "content" in frame else pd.Series("", index=frame.index)
    keys = pd.MultiIndex.from_arrays([title, content])
    codes, uniques = pd.factorize(keys)
    texts = pd.DataFrame({"title": uniques.get_level_values(0), "content": uniques.get_level_values(1)})
    return texts, codes


def link_trainings(
    linker: TitleLinker,
    trainings: pd.DataFrame,
    *,
    label_weight: float,
    threshold: float,
    top_k: int = TRAINING_LINKS.top_k,
) -> pd.DataFrame:
    """LINK_COLUMNS for ``trainings`` (training_id, title, optional content): the ``top_k`` best
    parent codes whose similarity reaches ``threshold``."""
    if trainings.empty:
        return _empty_links()
    texts, positions = distinct_texts(trainings)
    ranked = linker.top_parents(linker.similarities(texts), label_weight=label_weight, top_k=top_k)
    ranked = ranked[ranked["similarity"] >= threshold]
    rows = pd.DataFrame({"training_id": trainings["training_id"].astype(str).to_numpy(), "text_pos": positions})
    out = rows.merge(ranked, on="text_pos").drop(columns="text_pos")
    return out.sort_values(["training_id", "rank"]).reset_index(drop=True)[LINK_COLUMNS].astype({"rank": "int64"})


# ---------------------------------------------------------------------- evaluation


@dataclass
class LinkEvaluation:
    label_weight: float
    threshold: float
    table: pd.DataFrame  # split, stratum, texts, linked, share_linked, precision_at_1, precision_at_3, hit_at_3

    def figure(self, column: str, stratum: str = "all", split: str = REPORT) -> float:
        row = self.table[(self.table["split"] == split) & (self.table["stratum"] == stratum)]
        return float(row[column].iloc[0]) if len(row) else float("nan")


def evaluate_links(linker: TitleLinker, texts: pd.DataFrame, truth: pd.DataFrame) -> LinkEvaluation:
    """Choose the label weight and threshold on the tuning part, report every part.

    ``texts``: text_id, title, content, stratum, split (tuning/report); ``truth``: text_id,
    parent_rome_code (the known codes, compared at the historic v3 parent level). The choice
    maximises, on the tuning texts, the number of right top-1 links minus wrong ones: a training
    gets a link only where the link is more often right than wrong.
    """
    texts = texts.reset_index(drop=True)
    similarities = linker.similarities(texts[["title", "content"]].fillna(""))
    text_position = pd.Series(np.arange(len(texts)), index=texts["text_id"].astype(str).to_numpy())
    known = (
        pd.DataFrame(
            {
                "text_pos": text_position.reindex(truth["text_id"].astype(str).to_numpy()).to_numpy(),
                "parent_rome_code": truth["parent_rome_code"].astype(str).to_numpy(),
                "correct": True,
            }
        )
        .dropna(subset=["text_pos"])
        .astype({"text_pos": "int64"})
        .drop_duplicates(["text_pos", "parent_rome_code"])
    )
    tuning = (texts["split"] == TUNING).to_numpy()
    best: tuple[float, float, float] | None = None
    ranked_by_weight = {}
    for weight in TRAINING_LINKS.label_weight_grid:
        ranked = linker.top_parents(similarities, label_weight=weight).astype({"text_pos": "int64"})
        ranked = ranked.merge(known, on=["text_pos", "parent_rome_code"], how="left")
        ranked["correct"] = ranked["correct"].fillna(False).astype(bool)
        ranked_by_weight[weight] = ranked
        top1 = ranked[(ranked["rank"] == 1) & tuning[ranked["text_pos"].to_numpy()]]
        for threshold in TRAINING_LINKS.threshold_grid:
            kept = top1["similarity"].to_numpy() >= threshold
            net = float((2 * top1["correct"].to_numpy()[kept] - 1).sum())
            if best is None or net > best[0]:
                best = (net, weight, threshold)
    assert best is not None
    _, weight, threshold = best
    ranked = ranked_by_weight[weight]
    ranked = ranked[ranked["similarity"] >= threshold]
    return LinkEvaluation(float(weight), float(threshold), _figures(texts, ranked))


def _figures(texts: pd.DataFrame, ranked: pd.DataFrame) -> pd.DataFrame:
    positions = ranked["text_pos"].to_numpy()
    ranked = ranked.assign(split=texts["split"].to_numpy()[positions], stratum=texts["stratum"].to_numpy()[positions])
    rows = []
    for split in (TUNING, REPORT):
        for stratum in [*sorted(texts["stratum"].unique()), "all"]:
            in_texts = (texts["split"] == split) & ((texts["stratum"] == stratum) | (stratum == "all"))
            links = ranked[(ranked["split"] == split) & ((ranked["stratum"] == stratum) | (stratum == "all"))]
            first = links[links["rank"] == 1]
            hits = links.groupby("text_pos")["correct"].any()
            count = int(in_texts.sum())
            rows.append(
                {
                    "split": split,
                    "stratum": stratum,
                    "texts": count,
                    "linked": len(first),
                    "share_linked": round(len(first) / count, 4) if count else float("nan"),
                    "precision_at_1": round(float(first["correct"].mean()), 4) if len(first) else float("nan"),
                    "precision_at_3": round(float(links["correct"].mean()), 4) if len(links) else float("nan"),
                    "hit_at_3": round(float(hits.mean()), 4) if len(hits) else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def to_markdown(evaluation: LinkEvaluation) -> str:
    lines = [
        f"label weight {evaluation.label_weight}, threshold {evaluation.threshold} (chosen on the tuning part)",
        "",
        "| split | stratum | texts | linked | share linked | precision@1 | precision@3 | hit@3 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in evaluation.table.itertuples():
        lines.append(
            f"| {row.split} | {row.stratum} | {row.texts} | {row.linked} | {row.share_linked:.3f} | "
            f"{row.precision_at_1:.3f} | {row.precision_at_3:.3f} | {row.hit_at_3:.3f} |"
        )
    return "\n".join(lines)


@functools.lru_cache(maxsize=100_000)
def _label_stems(label: str) -> tuple[str, ...]:
    """The stems of a ROME label without its feminine form: every fit (one per fold) reads the
    same 13,000 labels, so they are stemmed once per process."""
    return tuple(stems(_gender_free(label)))


def _gender_free(label: str) -> str:
    """'Technicien / Technicienne de ...' -> 'Technicien de ...': the feminine form adds nothing."""
    return _FEMININE.sub("", label)


def _l2(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix(matrix)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return (sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ matrix).tocsr()


def _empty_links() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "training_id": pd.Series([], dtype=str),
            "rome_code": pd.Series([], dtype=str),
            "parent_rome_code": pd.Series([], dtype=str),
            "similarity": pd.Series([], dtype=float),
            "rank": pd.Series([], dtype="int64"),
        }
    )
