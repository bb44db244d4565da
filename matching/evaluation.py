"""How well the extractor finds the skills recruiters list themselves, against two baselines.

Gold standard: the coded entries of an offer's ``competences`` (ROME item ``code_ogr``), on the
offers that have at least one. The bundled offers are split once by a hash of their id
(:func:`matching.offers.split_of`): the *tuning* part fits the extractor's prior, scoring model and
threshold and chooses the baseline's k; the *report* part gives the figures. Micro precision,
recall and F1 over (offer, item) pairs of the report part's labelled offers.

Methods, all run on the same offers in the same call:
- ``extractor``: :class:`matching.extract.SkillExtractor` fitted on the tuning part;
- ``exact match``: items whose normalised label (or alias, or bridged ESCO label) occurs in the
  offer's title or description, nothing else;
- ``frequency baseline``: the k items most often listed by the tuning offers of the same ROME code
  (ties broken by item code), k chosen to maximise F1 on the tuning offers with each offer's own
  labels left out of the counts.

``python -m matching.evaluation`` prints the table.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from matching.extract import SkillExtractor, default_snapshot_dir
from matching.offers import REPORT, TUNING, bundled

METHODS = ("extractor", "exact match", "frequency baseline")
MAX_K = 30


def micro_scores(predicted: pd.DataFrame, gold: pd.DataFrame, offers: int) -> dict[str, float]:
    """Micro precision/recall/F1 of (offer_id, skill_code) pairs."""
    predicted_pairs = set(zip(predicted["offer_id"], predicted["skill_code"].astype("int64"), strict=True))
    gold_pairs = set(zip(gold["offer_id"], gold["skill_code"].astype("int64"), strict=True))
    hits = len(predicted_pairs & gold_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 0.0
    recall = hits / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "offers": offers}


def frequency_predictions(
    offers: pd.DataFrame, tuning_offers: pd.DataFrame, tuning_labels: pd.DataFrame, k: int,
    *, leave_one_out: bool = False,
) -> pd.DataFrame:
    """The k items most listed for each offer's ROME code in the tuning offers."""
    labelled = tuning_labels.merge(tuning_offers[["offer_id", "rome_code"]], on="offer_id")
    counts = labelled.groupby(["rome_code", "skill_code"]).size().rename("count").reset_index()
    pairs = offers[["offer_id", "rome_code"]].merge(counts, on="rome_code")
    if leave_one_out:
        own = pairs.merge(tuning_labels[["offer_id", "skill_code"]].assign(own=1), on=["offer_id", "skill_code"], how="left")
        pairs["count"] = pairs["count"] - own["own"].fillna(0).to_numpy()
        pairs = pairs[pairs["count"] > 0]
    pairs = pairs.sort_values(["offer_id", "count", "skill_code"], ascending=[True, False, True])
    return pairs.groupby("offer_id").head(k)[["offer_id", "skill_code"]]


def choose_k(tuning_offers: pd.DataFrame, tuning_labels: pd.DataFrame) -> int:
    labelled = tuning_offers[tuning_offers["offer_id"].isin(set(tuning_labels["offer_id"]))]
    f1 = [
        micro_scores(
            frequency_predictions(labelled, tuning_offers, tuning_labels, k, leave_one_out=True),
            tuning_labels, len(labelled),
        )["f1"]
        for k in range(1, MAX_K + 1)
    ]
    return int(np.argmax(f1)) + 1


def evaluate(
    snapshot_dir: Path | None = None, extractor: SkillExtractor | None = None
) -> tuple[pd.DataFrame, dict[str, object]]:
    """The three-row table (method, precision, recall, f1, offers) on the report split.

    Returns the table and the settings behind it (k of the baseline, threshold, split sizes).
    """
    snapshot_dir = Path(snapshot_dir) if snapshot_dir is not None else default_snapshot_dir()
    offers, labels = bundled(snapshot_dir)
    tuning_offers = offers[offers["split"] == TUNING]
    tuning_labels = labels[labels["split"] == TUNING][["offer_id", "skill_code"]]
    report_labels = labels[labels["split"] == REPORT][["offer_id", "skill_code"]]
    report_offers = offers[offers["offer_id"].isin(set(report_labels["offer_id"]))]
    if extractor is None:
        extractor = SkillExtractor.from_snapshot(
            snapshot_dir, tuning_offers=tuning_offers, tuning_labels=tuning_labels
        )
    k = choose_k(tuning_offers, tuning_labels)
    predictions = {
        "extractor": extractor.extract(report_offers),
        "exact match": extractor.exact_matches(report_offers),
        "frequency baseline": frequency_predictions(report_offers, tuning_offers, tuning_labels, k),
    }
    rows = [
        {"method": method, **micro_scores(predictions[method], report_labels, len(report_offers))}
        for method in METHODS
    ]
    settings = {
        "split": "sha256(offer id) first byte even: tuning, odd: report",
        "offers_tuning": len(tuning_offers),
        "offers_report": len(offers) - len(tuning_offers),
        "labelled_offers_tuning": int(tuning_labels["offer_id"].nunique()),
        "labelled_offers_report": int(report_labels["offer_id"].nunique()),
        "labels_report": len(report_labels),
        "frequency_k": k,
        "threshold": round(extractor.model.threshold, 4),
    }
    return pd.DataFrame(rows), settings


def to_markdown(table: pd.DataFrame) -> str:
    lines = ["| method | precision | recall | F1 | offers |", "|---|---:|---:|---:|---:|"]
    for row in table.itertuples(index=False):
        lines.append(f"| {row.method} | {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} | {row.offers} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    table, settings = evaluate(args.snapshot_dir)
    print(to_markdown(table))
    for key, value in settings.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
