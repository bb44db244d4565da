"""Title-similarity links and text -> ROME item mapping, on small hand-built referentials."""

from __future__ import annotations

import pandas as pd
import pytest

from matching.offers import REPORT, TUNING, split_of
from matching.training_links import TitleLinker, evaluate_links, link_trainings
from matching.training_skills import ItemMatcher

ROME_LABELS = pd.DataFrame(
    [
        # rome_code, parent_rome_code, label: fiche labels and appellations.
        ("F1703", "F1703", "Maçon / Maçonne"),
        ("F1703", "F1703", "Maçon / Maçonne en rénovation"),
        ("F1799", "F1703", "Maçon / Maçonne du patrimoine"),
        ("F1603", "F1603", "Plombier / Plombière"),
        ("F1603", "F1603", "Installateur / Installatrice sanitaire"),
        ("F1604", "F1604", "Plaquiste"),
        ("F1604", "F1604", "Monteur / Monteuse en cloisons sèches"),
        ("D1106", "D1106", "Vendeur / Vendeuse en alimentation générale"),
        ("D1106", "D1106", "Vendeur / Vendeuse en épicerie fine"),
    ],
    columns=["rome_code", "parent_rome_code", "label"],
)


@pytest.fixture(scope="module")
def linker() -> TitleLinker:
    return TitleLinker.fit(ROME_LABELS)


def test_title_links_to_the_right_parent_through_its_best_fiche(linker: TitleLinker) -> None:
    trainings = pd.DataFrame(
        {
            "training_id": ["t1", "t2", "t3"],
            "title": ["CAP - Maçon du patrimoine", "Titre professionnel plaquiste", "BTS - Plombier chauffagiste"],
        }
    )
    links = link_trainings(linker, trainings, label_weight=0.7, threshold=0.0)
    first = links[links["rank"] == 1].set_index("training_id")
    # The child fiche F1799 names "patrimoine": it is the best fiche of parent F1703.
    assert first.loc["t1", ["rome_code", "parent_rome_code"]].tolist() == ["F1799", "F1703"]
    assert first.loc["t2", "rome_code"] == "F1604"
    assert first.loc["t3", "rome_code"] == "F1603"
    # One row per parent code: F1703 and F1799 never both appear for one training.
    assert not links.duplicated(["training_id", "parent_rome_code"]).any()
    assert links.groupby("training_id")["rank"].max().max() <= 3
    assert links["similarity"].between(0, 1).all()


def test_boilerplate_and_unknown_words_carry_no_evidence(linker: TitleLinker) -> None:
    trainings = pd.DataFrame(
        {"training_id": ["t1", "t2"], "title": ["BTS option A parcours 2ème année", "Licence de philosophie"]}
    )
    assert link_trainings(linker, trainings, label_weight=0.7, threshold=0.0).empty


def test_threshold_keeps_only_strong_links(linker: TitleLinker) -> None:
    trainings = pd.DataFrame(
        {"training_id": ["t1", "t2"], "title": ["Plaquiste", "Vendeur conseil en magasin de sport"]}
    )
    everything = link_trainings(linker, trainings, label_weight=0.7, threshold=0.0)
    strong = link_trainings(linker, trainings, label_weight=0.7, threshold=0.9)
    assert set(everything["training_id"]) == {"t1", "t2"}
    assert strong["training_id"].tolist() == ["t1"]
    # 0.7 x 1.0 (the label "Plaquiste" itself) + 0.3 x the cosine with the fiche's bag of labels.
    assert 0.9 < strong["similarity"].iloc[0] < 1.0
    label_only = link_trainings(linker, trainings, label_weight=1.0, threshold=0.9)
    assert label_only["similarity"].iloc[0] == pytest.approx(1.0)


def test_content_text_helps_a_title_that_says_nothing(linker: TitleLinker) -> None:
    trainings = pd.DataFrame(
        {
            "training_id": ["t1", "t2"],
            "title": ["Parcours qualifiant", "Parcours qualifiant"],
            "content": [None, "Devenir plombier : installation sanitaire et dépannage."],
        }
    )
    links = link_trainings(linker, trainings, label_weight=0.7, threshold=0.0)
    assert links["training_id"].tolist() == ["t2"]
    assert links["parent_rome_code"].iloc[0] == "F1603"


def test_evaluation_chooses_on_tuning_and_reports_precision_as_defined(linker: TitleLinker) -> None:
    texts = pd.DataFrame(
        {
            "text_id": ["a", "b", "c", "d", "e", "f"],
            "title": [
                "Maçon",
                "Plombier",
                "Vendeur en rénovation",
                "Plaquiste",
                "Monteur en cloisons",
                "Maçon plombier",
            ],
            "content": [""] * 6,
            "stratum": ["catalogue_title"] * 6,
            "split": [TUNING, TUNING, TUNING, REPORT, REPORT, REPORT],
        }
    )
    truth = pd.DataFrame(
        {
            "text_id": ["a", "b", "c", "d", "e", "f"],
            # "Vendeur en rénovation" is a retail training: its weak best match (maçon en rénovation)
            # is wrong, and the tuning part should set the threshold above it.
            "parent_rome_code": ["F1703", "F1603", "D1106", "F1604", "F1604", "F1603"],
        }
    )
    evaluation = evaluate_links(linker, texts, truth)
    table = evaluation.table.set_index(["split", "stratum"])
    tuning = table.loc[(TUNING, "all")]
    assert tuning["texts"] == 3
    assert tuning["linked"] == 2
    assert tuning["precision_at_1"] == 1.0  # the wrong first link of "c" is below the threshold
    report = table.loc[(REPORT, "all")]
    assert report["texts"] == 3
    assert report["linked"] == 3
    # "Maçon plombier": first link maçon (wrong) or plombier (right) at equal weight; either way one
    # of its two links is right, so hit@3 is 1 and precision@3 counts both links.
    assert report["hit_at_3"] == 1.0
    assert 0.5 <= report["precision_at_1"] <= 1.0
    assert evaluation.figure("precision_at_1") == report["precision_at_1"]


def test_split_is_fixed_by_the_key() -> None:
    assert split_of("RNCP35317") == split_of("RNCP35317")
    parts = {split_of(f"RNCP{number}") for number in range(20)}
    assert parts == {TUNING, REPORT}


ITEMS = pd.DataFrame(
    {
        "skill_code": [1, 2, 3, 4],
        "label": ["Poser des plaques de plâtre", "Réaliser un enduit", "Finance", "Isolation thermique"],
    }
)


def test_item_matcher_keeps_covered_candidates_with_their_sentence() -> None:
    matcher = ItemMatcher.fit(ITEMS)
    texts = pd.DataFrame(
        {
            "text_id": ["block1", "block1", "block2"],
            "text": [
                "Poser les plaques de plâtre. Réaliser l'isolation thermique et la finance du chantier",
                "Poser les plaques de plâtre. Réaliser l'isolation thermique et la finance du chantier",
                "Enduits de façade",
            ],
            "group": ["F1604", "F1703", "F1703"],
        }
    )
    group_items = pd.DataFrame({"group": ["F1604", "F1604", "F1703", "F1703"], "skill_code": [1, 4, 2, 4]})
    found = matcher.match(texts, group_items, threshold=0.6)
    pairs = set(zip(found["text_id"], found["skill_code"], strict=True))
    # "Finance" is covered but is no candidate of the block's occupations; "Réaliser un enduit" is
    # a candidate of block2 but "Enduits de façade" covers only part of its weight.
    assert pairs == {("block1", 1), ("block1", 4)}
    plates = found[found["skill_code"] == 1].iloc[0]
    assert plates["coverage"] == pytest.approx(1.0)
    assert plates["evidence"] == "Poser les plaques de plâtre"
    insulation = found[found["skill_code"] == 4].iloc[0]
    assert insulation["evidence"].startswith("Réaliser l'isolation thermique")


def test_item_matcher_on_no_text_returns_the_empty_shape() -> None:
    matcher = ItemMatcher.fit(ITEMS)
    found = matcher.match(
        pd.DataFrame({"text_id": [], "text": [], "group": []}), pd.DataFrame({"group": [], "skill_code": []})
    )
    assert found.empty
    assert list(found.columns) == ["text_id", "skill_code", "coverage", "evidence"]
