"""How well the extractor finds the skills recruiters list themselves, against baselines.

Gold standard: the coded entries of an offer's ``competences`` (ROME item ``code_ogr``), on the
offers that have at least one. The bundled offers are split once by near-duplicate group
(:func:`matching.offers.near_duplicate_groups`: same normalised title and ROME code, or same
text), by a hash of the group's id: the *tuning* part alone fits priors and models and chooses,
by cross-validation over its own group folds, the feature set, the regularisation and the
threshold (and the baseline's k); the *report* part gives the figures. Micro precision, recall
and F1 over (offer, item) pairs of the report part's labelled offers.

Methods, all run on the same report offers in the same call:

- ``extractor``: :class:`matching.extract.SkillExtractor` fitted on the tuning part;
- ``occupation prior``: the same learner restricted to what the occupation says (the prior
  features, titles and descriptions blanked), tuned the same way: the honest baseline;
- ``frequency baseline``: the k items most often listed by the tuning offers of the same ROME
  code, k chosen on the tuning offers with each offer's own labels left out of the counts;
- ``exact match``: items one of whose names occurs in the title or description.

Then: a paired bootstrap over report offers of the extractor - occupation prior F1 difference;
the extractor's rows by origin; the blank-text ablation (the extractor with title and
description emptied); the ROME-blind run (ROME code removed, occupation inferred from the words,
with its accuracy); the table by whether the occupation has labelled tuning offers; and the
cross-validation grids. ``python -m matching.evaluation`` prints all of it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from matching.config import EXTRACTION_EVALUATION
from matching.extract import (
    PRIOR_FEATURE_SETS,
    TEXT_FEATURE_SETS,
    CrossValidation,
    SkillExtractor,
    fitted,
)
from matching.extractor_inputs import ExtractorInputs, load_extractor_inputs
from matching.occupation import OccupationInferrer, occupation_accuracy
from matching.offers import REPORT, TUNING, bounded_by_group

EXTRACTOR, PRIOR, FREQUENCY, EXACT = "extractor", "occupation prior", "frequency baseline", "exact match"
METHODS = (EXTRACTOR, PRIOR, FREQUENCY, EXACT)


def micro_scores(predicted: pd.DataFrame, gold: pd.DataFrame, offers: int) -> dict[str, float]:
    """Micro precision/recall/F1 of (offer_id, skill_code) pairs."""
    predicted_pairs = set(zip(predicted["offer_id"], predicted["skill_code"].astype("int64"), strict=True))
    gold_pairs = set(zip(gold["offer_id"], gold["skill_code"].astype("int64"), strict=True))
    hits = len(predicted_pairs & gold_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 0.0
    recall = hits / len(gold_pairs) if gold_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "offers": offers, "pairs": len(predicted_pairs)}


def frequency_predictions(
    offers: pd.DataFrame,
    tuning_offers: pd.DataFrame,
    tuning_labels: pd.DataFrame,
    k: int,
    *,
    leave_one_out: bool = False,
) -> pd.DataFrame:
    """The k items most listed for each offer's ROME code in the tuning offers."""
    labelled = tuning_labels.merge(tuning_offers[["offer_id", "rome_code"]], on="offer_id")
    counts = labelled.groupby(["rome_code", "skill_code"]).size().rename("count").reset_index()
    pairs = offers[["offer_id", "rome_code"]].merge(counts, on="rome_code")
    if leave_one_out:
        own = pairs.merge(
            tuning_labels[["offer_id", "skill_code"]].assign(own=1), on=["offer_id", "skill_code"], how="left"
        )
        pairs["count"] = pairs["count"] - own["own"].fillna(0).to_numpy()
        pairs = pairs[pairs["count"] > 0]
    pairs = pairs.sort_values(["offer_id", "count", "skill_code"], ascending=[True, False, True])
    return pairs.groupby("offer_id").head(k)[["offer_id", "skill_code"]]


def choose_k(tuning_offers: pd.DataFrame, tuning_labels: pd.DataFrame) -> int:
    """The k of the frequency baseline with the best leave-one-out micro F1 on the tuning offers.

    The predictions for k are the first k of the ranking for ``max_k`` (same order, ties broken
    on the code): the ranking is built once and every k is counted from it."""
    labelled = tuning_offers[tuning_offers["offer_id"].isin(set(tuning_labels["offer_id"]))]
    ranked = frequency_predictions(
        labelled, tuning_offers, tuning_labels, EXTRACTION_EVALUATION.max_k, leave_one_out=True
    )
    ranked = ranked.drop_duplicates().assign(rank=lambda frame: frame.groupby("offer_id").cumcount() + 1)
    gold = tuning_labels[["offer_id", "skill_code"]].astype({"skill_code": "int64"}).drop_duplicates()
    marked = ranked.astype({"skill_code": "int64"}).merge(
        gold.assign(_gold=True), on=["offer_id", "skill_code"], how="left"
    )
    is_gold = marked["_gold"].notna().to_numpy()
    rank = marked["rank"].to_numpy()
    gold_pairs = len(gold)
    f1 = []
    for k in range(1, EXTRACTION_EVALUATION.max_k + 1):
        hits = int((is_gold & (rank <= k)).sum())
        predicted = int((rank <= k).sum())
        precision = hits / predicted if predicted else 0.0
        recall = hits / gold_pairs if gold_pairs else 0.0
        f1.append(2 * precision * recall / (precision + recall) if hits else 0.0)
    return int(np.argmax(f1)) + 1


def per_offer_counts(predicted: pd.DataFrame, gold: pd.DataFrame, offer_ids: np.ndarray) -> np.ndarray:
    """offers x (hits, predicted, gold): what micro scores add up, offer by offer."""
    predicted = predicted[["offer_id", "skill_code"]].drop_duplicates()
    hits = predicted.merge(gold[["offer_id", "skill_code"]], on=["offer_id", "skill_code"])
    index = pd.Index(offer_ids)
    counts = np.zeros((len(offer_ids), 3))
    for column, frame in enumerate((hits, predicted, gold)):
        counted = frame.groupby("offer_id").size().reindex(index).fillna(0).to_numpy()
        counts[:, column] = counted
    return counts


def paired_bootstrap(
    first: np.ndarray,
    second: np.ndarray,
    samples: int = EXTRACTION_EVALUATION.bootstrap_samples,
    seed: int = EXTRACTION_EVALUATION.bootstrap_seed,
) -> dict[str, float]:
    """Micro-F1 difference first - second and its 95 % percentile interval, offers resampled
    with replacement (the same draw for both methods)."""

    def f1(counts: np.ndarray) -> np.ndarray:
        hits, predicted, gold = counts[..., 0], counts[..., 1], counts[..., 2]
        return 2 * hits / np.maximum(predicted + gold, 1e-12)

    generator = np.random.default_rng(seed)
    draws = generator.integers(0, len(first), size=(samples, len(first)))
    weights = np.zeros((samples, len(first)))
    np.add.at(weights, (np.repeat(np.arange(samples), len(first)), draws.ravel()), 1.0)
    difference = f1(weights @ first) - f1(weights @ second)
    low, high = np.percentile(difference, [2.5, 97.5])
    return {
        "difference": float(f1(first.sum(axis=0)) - f1(second.sum(axis=0))),
        "ci_low": float(low),
        "ci_high": float(high),
        "samples": samples,
    }


@dataclass
class Evaluation:
    table: pd.DataFrame  # method, precision, recall, f1, offers, pairs
    bootstrap: dict[str, float]
    by_origin: pd.DataFrame  # origin, rows, precision
    ablation: pd.DataFrame  # run, precision, recall, f1, pairs, share_of_pairs
    occupations: dict[str, float]
    by_seen: pd.DataFrame  # subset, method, offers, labels, precision, recall, f1
    validation: dict[str, CrossValidation]
    settings: dict[str, object] = field(default_factory=dict)


def evaluate(inputs: ExtractorInputs, base: SkillExtractor | None = None) -> Evaluation:
    """Every figure of EVALUATION.md, on the report split, fitted on the tuning split only;
    ``base``: an unfitted extractor to reuse (its referentials and automaton)."""
    offers = bounded_by_group(inputs.offers, EXTRACTION_EVALUATION.max_offers_per_split, per="split")
    labels = inputs.labels[inputs.labels["offer_id"].isin(set(offers["offer_id"]))]
    tuning_offers = offers[offers["split"] == TUNING].reset_index(drop=True)
    tuning_labels = labels[labels["split"] == TUNING][["offer_id", "skill_code"]]
    report_labels = labels[labels["split"] == REPORT][["offer_id", "skill_code"]]
    report_offers = offers[offers["offer_id"].isin(set(report_labels["offer_id"]))].reset_index(drop=True)

    base = base if base is not None else SkillExtractor.from_inputs(inputs)
    referential = inputs.occupation_labels
    extractor, text_validation = fitted(base, tuning_offers, tuning_labels, TEXT_FEATURE_SETS)
    extractor = extractor.with_occupations(OccupationInferrer.fit(referential, tuning_offers))
    prior, prior_validation = fitted(base, tuning_offers, tuning_labels, PRIOR_FEATURE_SETS, blank_text=True)
    blank = report_offers.assign(title="", description="")
    k = choose_k(tuning_offers, tuning_labels)
    extracted = extractor.extract(report_offers)
    predictions = {
        EXTRACTOR: extracted,
        PRIOR: prior.extract(blank),
        FREQUENCY: frequency_predictions(report_offers, tuning_offers, tuning_labels, k),
        EXACT: extractor.exact_matches(report_offers),
    }
    offer_count = len(report_offers)
    table = pd.DataFrame(
        [{"method": method, **micro_scores(predictions[method], report_labels, offer_count)} for method in METHODS]
    )
    ids = report_offers["offer_id"].to_numpy()
    bootstrap = paired_bootstrap(
        per_offer_counts(predictions[EXTRACTOR], report_labels, ids),
        per_offer_counts(predictions[PRIOR], report_labels, ids),
    )

    gold_pairs = report_labels.assign(_gold=True)
    marked = extracted.merge(gold_pairs, on=["offer_id", "skill_code"], how="left")
    marked["_gold"] = marked["_gold"].fillna(False).astype(bool)
    by_origin = (
        marked.groupby("origin")
        .agg(rows=("skill_code", "size"), correct=("_gold", "sum"))
        .reset_index()
        .assign(precision=lambda frame: frame["correct"] / frame["rows"])
    )

    # What the text adds: the same extractor with the words removed; what the ROME code adds:
    # the same extractor with the code removed and inferred from the words.
    rome_blind = report_offers.assign(rome_code="")
    runs = {
        "with text and ROME code": extracted,
        "text blanked (ROME code kept)": extractor.extract(blank),
        "ROME code removed (inferred from the text)": extractor.extract(rome_blind),
    }
    ablation = pd.DataFrame(
        [{"run": run, **micro_scores(predicted, report_labels, offer_count)} for run, predicted in runs.items()]
    )
    ablation["share_of_pairs"] = ablation["pairs"] / max(len(extracted), 1)

    parents = inputs.parent_codes
    all_report = offers[offers["split"] == REPORT]
    occupations = {
        "report offers": occupation_accuracy(extractor.infer_occupations(all_report), all_report, parents),
        "labelled report offers": occupation_accuracy(
            extractor.infer_occupations(report_offers), report_offers, parents
        ),
    }

    seen_codes = set(tuning_offers.loc[tuning_offers["offer_id"].isin(set(tuning_labels["offer_id"])), "rome_code"])
    rows = []
    for subset, in_subset in (
        ("occupation seen in tuning", report_offers["rome_code"].isin(seen_codes)),
        ("occupation not seen", ~report_offers["rome_code"].isin(seen_codes)),
    ):
        subset_ids = set(report_offers.loc[in_subset, "offer_id"])
        gold = report_labels[report_labels["offer_id"].isin(subset_ids)]
        for method in (EXTRACTOR, PRIOR, FREQUENCY):
            predicted = predictions[method][predictions[method]["offer_id"].isin(subset_ids)]
            rows.append(
                {
                    "subset": subset,
                    "method": method,
                    "labels": len(gold),
                    **micro_scores(predicted, gold, len(subset_ids)),
                }
            )
    by_seen = pd.DataFrame(rows)

    groups = offers.groupby("group")
    settings = {
        "split": "near-duplicate groups (same normalised title + ROME code, or same text); sha256(group id) first byte even: tuning, odd: report",
        "offers_tuning": len(tuning_offers),
        "offers_report": len(offers) - len(tuning_offers),
        "near_duplicate_groups_of_several_offers": int((groups.size() > 1).sum()),
        "groups_split_across_parts": int((groups["split"].nunique() > 1).sum()),
        "labelled_offers_tuning": int(tuning_labels["offer_id"].nunique()),
        "labelled_offers_report": int(report_labels["offer_id"].nunique()),
        "labels_report": len(report_labels),
        "frequency_k": k,
        "extractor_setting": f"{text_validation.feature_set}, C = {text_validation.c}, threshold {text_validation.threshold:.4f}",
        "prior_setting": f"{prior_validation.feature_set}, C = {prior_validation.c}, threshold {prior_validation.threshold:.4f}",
        "threshold": round(extractor.model.threshold, 4),
    }
    return Evaluation(
        table,
        bootstrap,
        by_origin,
        ablation,
        occupations,
        by_seen,
        {EXTRACTOR: text_validation, PRIOR: prior_validation},
        settings,
    )


def to_markdown(table: pd.DataFrame) -> str:
    lines = ["| method | precision | recall | F1 | offers | pairs emitted |", "|---|---:|---:|---:|---:|---:|"]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.method} | {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} | {row.offers} | {row.pairs} |"
        )
    return "\n".join(lines)


def report(evaluation: Evaluation) -> str:
    """Every table of the evaluation as Markdown, in the order of EVALUATION.md."""
    b = evaluation.bootstrap
    parts = [
        "## Report split, micro-averaged over (offer, ROME item) pairs",
        "",
        to_markdown(evaluation.table),
        "",
        f"Extractor - occupation prior, F1: {b['difference']:+.3f}, paired bootstrap 95 % CI "
        f"[{b['ci_low']:+.3f}, {b['ci_high']:+.3f}] ({b['samples']} resamples of the report offers).",
        "",
        "## Extractor rows by origin (report split)",
        "",
        "| origin | rows | correct | precision |",
        "|---|---:|---:|---:|",
        *(
            f"| {row.origin} | {row.rows} | {row.correct} | {row.precision:.3f} |"
            for row in evaluation.by_origin.itertuples(index=False)
        ),
        "",
        "## Ablations (extractor, report split)",
        "",
        "| run | precision | recall | F1 | pairs emitted | share of the full run's pairs |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {row.run} | {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} | {row.pairs} | {row.share_of_pairs:.3f} |"
            for row in evaluation.ablation.itertuples(index=False)
        ),
        "",
        "## Occupation inferred from the words (ROME code removed)",
        "",
        "| offers | count | right fiche | right historic parent code |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {figures['offers']} | {figures['accuracy_fiche']:.3f} | {figures['accuracy_parent']:.3f} |"
            for name, figures in evaluation.occupations.items()
        ),
        "",
        "## By whether the occupation has labelled tuning offers (report split)",
        "",
        "| subset | method | offers | labels | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|",
        *(
            f"| {row.subset} | {row.method} | {row.offers} | {row.labels} | {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} |"
            for row in evaluation.by_seen.itertuples(index=False)
        ),
        "",
        "## Cross-validation on the tuning part (out-of-fold micro F1, 5 group folds)",
        "",
        "| method | feature set | C | threshold | F1 |",
        "|---|---|---:|---:|---:|",
    ]
    for method, validation in evaluation.validation.items():
        for row in validation.grid.itertuples(index=False):
            chosen = " (chosen)" if (row.feature_set, row.c) == (validation.feature_set, validation.c) else ""
            parts.append(f"| {method} | {row.feature_set}{chosen} | {row.c} | {row.threshold:.4f} | {row.f1:.3f} |")
    parts += ["", "## Settings", ""]
    parts += [f"- {key}: {value}" for key, value in evaluation.settings.items()]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse",
        required=True,
        type=Path,
        help="a built warehouse (make run: data/warehouse.duckdb): ROME items, ESCO bridge, labelled postings",
    )
    args = parser.parse_args(argv)
    print(report(evaluate(load_extractor_inputs(args.warehouse))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
