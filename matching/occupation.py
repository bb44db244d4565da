"""The occupation (ROME 4.0 fiche) of an offer, inferred from its words when the recruiter gave none.

Offers from other job boards, and many partner offers, come without a ROME code. This module
ranks ROME fiches for an offer's title and description with the title linker of
:mod:`matching.training_links` (TF-IDF over Snowball stems, best cosine to one label blended with
the cosine to the fiche's bag of labels), fitted on:

- the ROME 4.0 fiche labels and appellations (13,000 job titles), and
- the titles of the offers whose ROME code is known (their recruiters chose the code), each as
  one more label of its fiche: "Agent de propreté (H/F)" teaches K2204 the words offers use.

The best fiche is the inferred code; ``inferred_rome_confidence`` is its similarity (0 to 1).
The inferred code is always kept apart from the recruiter's: nothing overwrites ``rome_code``.
An inferrer fitted on some offers' titles is applied only to other offers (out of fold, see
:func:`matching.extract.CrossFitted`), so that no offer is scored with its own title.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from matching.config import OCCUPATION_INFERENCE
from matching.training_links import TitleLinker, distinct_texts

INFERRED_COLUMNS = ["offer_id", "inferred_rome_code", "inferred_rome_confidence"]


@dataclass
class OccupationInferrer:
    """Ranks ROME fiches for offer texts; see the module docstring."""

    linker: TitleLinker
    label_weight: float = OCCUPATION_INFERENCE.label_weight
    # Ids of the offers whose titles joined the labels (for leak checks).
    seen_offers: frozenset[str] = frozenset()

    @classmethod
    def fit(cls, referential: pd.DataFrame, offers: pd.DataFrame | None = None) -> OccupationInferrer:
        """``referential``: rome_code, parent_rome_code, label of every fiche label and appellation
        (:data:`matching.extractor_inputs.OCCUPATION_LABELS`); ``offers``: offer_id, title, rome_code whose
        code is known (the titles join their fiche's labels)."""
        labels, seen = referential, frozenset()
        if offers is not None and len(offers):
            known = offers[offers["rome_code"].fillna("").astype(str).isin(set(referential["rome_code"]))]
            parents = referential.drop_duplicates("rome_code").set_index("rome_code")["parent_rome_code"]
            titles = pd.DataFrame(
                {
                    "rome_code": known["rome_code"].astype(str).to_numpy(),
                    "parent_rome_code": known["rome_code"].astype(str).map(parents).to_numpy(),
                    "label": known["title"].fillna("").astype(str).to_numpy(),
                }
            )
            titles = titles[titles["label"].str.strip() != ""]
            labels = pd.concat([referential, titles], ignore_index=True)
            labels = labels.sort_values(["rome_code", "label"], kind="stable").reset_index(drop=True)
            seen = frozenset(known["offer_id"].astype(str))
        return cls(TitleLinker.fit(labels), seen_offers=seen)

    def infer(self, frame: pd.DataFrame) -> pd.DataFrame:
        """INFERRED_COLUMNS for every offer of ``frame`` (offer_id, title, description); an offer
        no ROME word matches gets a NULL code and confidence 0."""
        texts, positions = distinct_texts(
            pd.DataFrame({"title": frame["title"].fillna(""), "content": frame["description"].fillna("")})
        )
        best = self.linker.top_parents(
            self.linker.similarities(texts), label_weight=self.label_weight, top_k=1
        ).set_index("text_pos")
        codes = best["rome_code"].reindex(np.arange(len(texts)))
        confidence = best["similarity"].reindex(np.arange(len(texts))).fillna(0.0)
        return pd.DataFrame(
            {
                "offer_id": frame["offer_id"].astype(str).to_numpy(),
                "inferred_rome_code": codes.to_numpy()[positions],
                "inferred_rome_confidence": confidence.to_numpy(dtype=float)[positions],
            }
        )


def occupation_accuracy(inferred: pd.DataFrame, offers: pd.DataFrame, parents: pd.Series) -> dict[str, float]:
    """Share of offers whose inferred fiche is the recruiter's, and whose historic parent is."""
    joined = offers[["offer_id", "rome_code"]].merge(inferred, on="offer_id")
    exact = joined["inferred_rome_code"] == joined["rome_code"]
    parent = joined["inferred_rome_code"].map(parents) == joined["rome_code"].map(parents).fillna(joined["rome_code"])
    return {
        "offers": len(joined),
        "accuracy_fiche": round(float(exact.mean()), 4) if len(joined) else float("nan"),
        "accuracy_parent": round(float(parent.mean()), 4) if len(joined) else float("nan"),
    }
