"""The skill extractor: origins and spans on hand-built offers, occupation from the words, no
label leaks, the CLI with and without ROME fields, and the measured figures on the real offers.

The extractor learns from the warehouse (ROME items, ESCO bridge, labelled postings): these tests
read the shared build's. The tests that need no warehouse are in tests/unit/test_matching_extract.py."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matching.dictionary import SkillDictionary
from matching.evaluation import EXACT, EXTRACTOR, FREQUENCY, PRIOR, Evaluation, evaluate, micro_scores
from matching.extract import (
    FEATURES,
    OCCUPATION_PRIOR,
    OUTPUT_COLUMNS,
    TEXT,
    CrossFitted,
    ScoringModel,
    SkillExtractor,
)
from matching.extractor_inputs import ExtractorInputs
from matching.fitted_extractor import apply_in_processes, fitting_sample
from matching.occupation import OccupationInferrer
from matching.offers import fold_of, load_api_offers, offers_frame, split_of
from matching.text import normalise

pytestmark = pytest.mark.e2e

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
NATIONAL_FILE = Path("france_travail_offres_national_2026") / "DERIVED_nocontact_francetravail_2026.json"
ROME_FIELDS = ("romeCode", "romeLibelle", "appellationlibelle")

# What `python -m matching.evaluation --warehouse data/warehouse.duckdb` prints on the report split (EVALUATION.md); pinned with a
# margin of 0.01 so that a regression fails the build.
MEASURED = {EXTRACTOR: 0.558, PRIOR: 0.549, FREQUENCY: 0.534, "rome_blind": 0.406, "occupation_fiche": 0.585}
MARGIN = 0.01

HAND_BUILT = pd.DataFrame(
    {
        "offer_id": ["with-rome", "blank", "no-rome"],
        "title": ["Magasinier cariste (H/F)", "", "Cariste (H/F)"],
        "description": [
            "Vous assurez la gestion des stocks et la préparation des commandes. Maîtrise d'Excel.",
            "",
            "Conduite de chariots élévateurs en entrepôt. Réception des marchandises.",
        ],
        "rome_code": ["N1103", "N1103", ""],
    }
)


@pytest.fixture(scope="module")
def base(extractor_inputs: ExtractorInputs) -> SkillExtractor:
    return SkillExtractor.from_inputs(extractor_inputs)


@pytest.fixture(scope="module")
def referential(extractor_inputs: ExtractorInputs) -> pd.DataFrame:
    return extractor_inputs.occupation_labels


@pytest.fixture(scope="module")
def cross_fitted(extractor_inputs: ExtractorInputs, base: SkillExtractor) -> CrossFitted:
    return CrossFitted.from_inputs(extractor_inputs, base)


@pytest.fixture(scope="module")
def evaluation(extractor_inputs: ExtractorInputs, base: SkillExtractor) -> Evaluation:
    return evaluate(extractor_inputs, base)


@pytest.fixture(scope="module")
def dictionary(extractor_inputs: ExtractorInputs) -> SkillDictionary:
    return SkillDictionary.from_tables(extractor_inputs.items, extractor_inputs.esco_labels)


def test_dictionary_holds_rome_items_aliases_and_esco(dictionary: SkillDictionary) -> None:
    entries = dictionary.entries
    origins = set(entries["origin"])
    assert origins == {"rome", "rome_alias", "esco"}
    assert entries.loc[entries["origin"] == "rome", "skill_code"].nunique() > 33_000
    # "Microsoft Excel" (403039) is found from "Excel", "Programmation en Python" from "Python".
    assert set(entries.loc[entries["pattern"] == "excel", "skill_code"]) == {403039}
    assert set(entries.loc[entries["pattern"] == "python", "skill_code"]) == {113798}
    # ESCO reaches ROME through an exact normalised label (dbt int_skill_esco_matches_ranked): the
    # other labels of the ESCO skill follow. "Logiciels de gestion de base de données" (100113) is
    # an alternative label of ESCO's "systèmes de gestion de base de données", whose other names
    # ("systèmes de base de données") become names of the item; a name that is already a ROME
    # label ("MySQL", an item of its own) does not.
    esco = entries[entries["origin"] == "esco"]
    assert len(esco) > 100
    assert 100113 in set(esco.loc[esco["label"] == "systèmes de base de données", "skill_code"])
    assert "MySQL" not in set(esco["label"])
    assert set(esco["skill_code"]) <= set(entries.loc[entries["origin"] == "rome", "skill_code"])


def _prior_only(base: SkillExtractor, rome_codes: list[str], item: int) -> SkillExtractor:
    """An extractor whose prior says: every offer of these occupations lists ``item``."""
    offers = pd.DataFrame(
        {"offer_id": [f"p{i}" for i in range(len(rome_codes))], "title": "", "description": "", "rome_code": rome_codes}
    )
    labels = pd.DataFrame({"offer_id": offers["offer_id"], "skill_code": item})
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("prior")] = 20.0
    coef[FEATURES.index("exact")] = 20.0
    return base.with_prior(offers, labels).with_model(ScoringModel(coef, -5.0, 0.5, "hand-built", 1.0))


def test_text_rows_carry_the_span_that_names_the_skill(base: SkillExtractor) -> None:
    result = base.extract(HAND_BUILT)
    assert list(result.columns) == OUTPUT_COLUMNS
    text_rows = result[result["origin"] == TEXT].merge(HAND_BUILT, on="offer_id")
    spans = dict(zip(text_rows["skill_code"], text_rows["evidence"], strict=True))
    # "Excel" names "Microsoft Excel" (403039) through its alias; "gestion des stocks" is a ROME label.
    assert spans[403039] == "Excel"
    assert spans[495456] == "gestion des stocks"
    patterns = base.dictionary.entries.groupby("skill_code")["pattern"].agg(set)
    for row in text_rows.itertuples():
        assert row.evidence in f"{row.title}\n{row.description}"
        assert normalise(row.evidence) in patterns[row.skill_code]
    assert result.loc[result["offer_id"] == "blank"].empty  # no words, no prior: nothing


def test_prior_rows_carry_no_evidence(base: SkillExtractor) -> None:
    extractor = _prior_only(base, ["N1103", "N1103", "N1103"], 100_016)
    result = extractor.extract(HAND_BUILT)
    blank = result[result["offer_id"] == "blank"]
    assert blank[["skill_code", "origin", "evidence"]].values.tolist() == [[100_016, OCCUPATION_PRIOR, ""]]
    assert (result.loc[result["origin"] == OCCUPATION_PRIOR, "evidence"] == "").all()
    assert (result.loc[result["origin"] == TEXT, "evidence"] != "").all()


def test_an_offer_without_rome_code_gets_an_inferred_code_and_skills(
    base: SkillExtractor, referential: pd.DataFrame
) -> None:
    inferrer = OccupationInferrer.fit(referential)
    inferred = inferrer.infer(HAND_BUILT).set_index("offer_id")
    # "Cariste", "chariots élévateurs": ROME N1101, conduite d'engins de déplacement des charges.
    assert inferred.loc["no-rome", "inferred_rome_code"] == "N1101"
    assert 0.5 < inferred.loc["no-rome", "inferred_rome_confidence"] <= 1.0
    assert pd.isna(inferred.loc["blank", "inferred_rome_code"])
    extractor = _prior_only(base, ["N1101", "N1101"], 101_829).with_occupations(inferrer)
    result = extractor.extract(HAND_BUILT)
    no_rome = result[result["offer_id"] == "no-rome"]
    assert (101_829, OCCUPATION_PRIOR) in set(zip(no_rome["skill_code"], no_rome["origin"], strict=True))
    # Without an inferrer the same offer has no occupation, so no prior row.
    without = _prior_only(base, ["N1101", "N1101"], 101_829).extract(HAND_BUILT)
    assert 101_829 not in set(without.loc[without["offer_id"] == "no-rome", "skill_code"])


def test_postings_are_placed_by_near_duplicate_group(extractor_inputs: ExtractorInputs) -> None:
    offers, labels = extractor_inputs.offers, extractor_inputs.labels
    assert offers.groupby("group")["split"].nunique().max() == 1
    assert (offers["split"] == offers["group"].map(split_of)).all()
    assert labels["split"].notna().all()


def test_no_offer_is_scored_by_a_model_that_saw_its_labels_or_title(
    extractor_inputs: ExtractorInputs, cross_fitted: CrossFitted
) -> None:
    offers, labels = extractor_inputs.offers, extractor_inputs.labels
    frame = offers[["offer_id", "title", "description", "rome_code"]]
    folds = cross_fitted.folds_of(frame)
    members = offers.groupby("group")["offer_id"].agg(set)
    for fold, extractor in cross_fitted.fold_extractors.items():
        scored = set(offers.loc[folds == fold, "group"])
        seen = {*extractor.fitted_offers, *extractor.occupations.seen_offers}  # type: ignore[union-attr]
        assert extractor.fitted_offers and not any(members[group] & seen for group in scored)
        # Each fold's prior was counted on the labelled offers of the other folds, all of them.
        others = set(offers.loc[(offers["fold"] != fold), "offer_id"]) & set(labels["offer_id"])
        assert extractor.fitted_offers == others


def test_a_fit_on_part_of_the_postings_scores_the_others_with_models_that_never_saw_them(
    extractor_inputs: ExtractorInputs, base: SkillExtractor, cross_fitted: CrossFitted
) -> None:
    """The kept extractor is fitted on at most EXTRACTION.max_fitted_postings postings (the bundle
    is below it); here on about half of them, as a million postings would be on 20,000."""
    offers, labels = extractor_inputs.offers, extractor_inputs.labels
    limit = len(offers) // 2
    sample = fitting_sample(extractor_inputs, limit)
    sampled = set(sample.offers["offer_id"])
    assert limit * 0.9 < len(sampled) <= limit
    assert set(offers.loc[offers["group"].isin(set(sample.offers["group"])), "offer_id"]) == sampled
    assert set(sample.labels["offer_id"]) == set(labels["offer_id"]) & sampled
    assert fitting_sample(extractor_inputs, len(offers)) is extractor_inputs

    half = CrossFitted.from_inputs(sample, base)
    frame = offers[["offer_id", "title", "description", "rome_code"]]
    left_out = ~frame["offer_id"].isin(sampled).to_numpy()
    folds = half.folds_of(frame)
    # a left-out posting is scored like a new one: by its group's hashed fold, whose models never saw it
    assert (folds[left_out] == offers.loc[left_out, "group"].map(fold_of).to_numpy()).all()
    never_fitted = set(frame.loc[left_out, "offer_id"])
    for extractor in half.fold_extractors.values():
        assert not never_fitted & {*extractor.fitted_offers, *extractor.occupations.seen_offers}  # type: ignore[union-attr]
    skills, occupations = half.apply(frame, folds=folds)
    assert len(occupations) == len(frame) and set(occupations["offer_id"]) == set(frame["offer_id"])

    # What the bound costs: on the left-out labelled postings, the half fit against the cross-fit
    # on every posting (each of those postings scored out of fold there too).
    gold = labels.loc[labels["offer_id"].isin(never_fitted), ["offer_id", "skill_code"]]
    scored_offers = gold["offer_id"].nunique()
    full_skills, _ = cross_fitted.apply(frame[left_out])
    on_half = micro_scores(skills[skills["offer_id"].isin(set(gold["offer_id"]))], gold, scored_offers)
    on_all = micro_scores(full_skills[full_skills["offer_id"].isin(set(gold["offer_id"]))], gold, scored_offers)
    # Measured: 213 postings, F1 0.593 fitted on all, 0.551 on half. Half the labels cost 0.04 F1:
    # the learning curve has not flattened at the bundle's 456 labelled postings, which is why
    # the bound sits at 20,000 postings (about 5,000 labelled at the bundle's share), far above
    # them. What the bound costs at that size is not measured: no labels exist at that scale.
    assert scored_offers == 213
    assert on_all["f1"] == pytest.approx(0.593, abs=MARGIN)
    assert on_half["f1"] == pytest.approx(0.551, abs=MARGIN)


def test_scoring_in_two_processes_gives_the_rows_of_one(
    extractor_inputs: ExtractorInputs, cross_fitted: CrossFitted
) -> None:
    frame = extractor_inputs.offers[["offer_id", "title", "description", "rome_code"]].reset_index(drop=True)
    folds = cross_fitted.folds_of(frame)
    one_skills, one_occupations = cross_fitted.apply(frame, folds=folds)
    # 1,879 postings in 8 slices over 2 worker processes (the pipeline spreads from 20,000 per process)
    skills, occupations = apply_in_processes(cross_fitted, frame, folds, processes=2, min_postings_per_process=500)
    assert len(one_skills) > 5_000 and len(one_occupations) == len(frame)
    pd.testing.assert_frame_equal(skills, one_skills)
    pd.testing.assert_frame_equal(occupations, one_occupations)


def test_cli_with_and_without_rome_fields(
    snapshot_dir: Path, built_warehouse: Path, extractor_inputs: ExtractorInputs, tmp_path: Path
) -> None:
    offers = json.loads((snapshot_dir / NATIONAL_FILE).read_text(encoding="utf-8"))
    stripped = [{key: value for key, value in offer.items() if key not in ROME_FIELDS} for offer in offers]
    outputs = {}
    for name, payload in (("with", offers), ("without", stripped)):
        source = tmp_path / f"{name}.json"
        source.write_text(json.dumps({"resultats": payload}), encoding="utf-8")
        output, occupations = tmp_path / f"{name}.csv", tmp_path / f"{name}_occupations.csv"
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "matching.extract",
                "--input",
                str(source),
                "--output",
                str(output),
                "--occupations",
                str(occupations),
                "--warehouse",
                str(built_warehouse),
            ],
            cwd=REPOSITORY_ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert completed.returncode == 0, completed.stderr
        with output.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == OUTPUT_COLUMNS
        outputs[name] = pd.read_csv(output, dtype={"offer_id": str, "evidence": str}, keep_default_na=False)
        inferred = pd.read_csv(occupations, dtype=str, keep_default_na=False)
        assert len(inferred) == len(offers) and (inferred["inferred_rome_code"] != "").mean() > 0.9
    items = set(extractor_inputs.items["skill_code"].astype(int))
    by_offer = {
        str(offer["id"]): f"{offer.get('intitule') or ''}\n{offer.get('description') or ''}" for offer in offers
    }
    for name, result in outputs.items():
        assert len(result) > 150, name  # 150 offers, a few skills each, with or without ROME code
        assert set(result["offer_id"]) <= set(by_offer) and set(result["skill_code"]) <= items
        assert set(result["origin"]) <= {TEXT, OCCUPATION_PRIOR} and result["score"].between(0, 1).all()
        text = result[result["origin"] == TEXT]
        assert len(text) > 0
        assert all(
            evidence in by_offer[offer] for offer, evidence in zip(text["offer_id"], text["evidence"], strict=True)
        )
        assert (result.loc[result["origin"] == OCCUPATION_PRIOR, "evidence"] == "").all()


def test_extractor_ignores_competences(snapshot_dir: Path, cross_fitted: CrossFitted) -> None:
    offers = load_api_offers(snapshot_dir / NATIONAL_FILE)
    frame = offers_frame(offers)
    # Even handed a frame that carries the labels, the extractor does not look at them.
    frame_with_labels = frame.assign(competences=[json.dumps(o.get("competences")) for o in offers])
    first, _ = cross_fitted.apply(frame_with_labels)
    assert len(first) > 0
    pd.testing.assert_frame_equal(first, cross_fitted.apply(frame.assign(competences="[]"))[0])
    assert str(first["skill_code"].dtype) == "int64"


def test_figures_on_the_report_split(evaluation: Evaluation) -> None:
    f1 = evaluation.table.set_index("method")["f1"]
    assert set(f1.index) == {EXTRACTOR, PRIOR, FREQUENCY, EXACT}
    for method in (EXTRACTOR, PRIOR, FREQUENCY):
        assert f1[method] == pytest.approx(MEASURED[method], abs=MARGIN)
    assert f1[EXTRACTOR] > f1[FREQUENCY] > f1[EXACT]
    assert evaluation.settings["labelled_offers_report"] == 250
    assert evaluation.settings["groups_split_across_parts"] == 0
    bootstrap = evaluation.bootstrap
    assert bootstrap["ci_low"] <= bootstrap["difference"] <= bootstrap["ci_high"]
    ablation = evaluation.ablation.set_index("run")["f1"]
    assert ablation["ROME code removed (inferred from the text)"] == pytest.approx(MEASURED["rome_blind"], abs=MARGIN)
    accuracy = evaluation.occupations["report offers"]
    assert accuracy["offers"] == 948
    assert accuracy["accuracy_fiche"] == pytest.approx(MEASURED["occupation_fiche"], abs=MARGIN)
    assert accuracy["accuracy_parent"] >= accuracy["accuracy_fiche"]
    origins = evaluation.by_origin.set_index("origin")
    assert set(origins.index) <= {TEXT, OCCUPATION_PRIOR}
