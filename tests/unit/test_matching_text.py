"""French normalisation and the skill dictionary's automaton, on the real ROME items (parsed from
the snapshot). The dictionary with the ESCO bridge of the built warehouse is tested in
tests/e2e/test_skill_extraction.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ingestion import rome
from matching.extract import SkillExtractor
from matching.extractor_inputs import ExtractorInputs
from matching.text import fold, normalise, split_sentences, stems


def test_accents_and_case_are_folded() -> None:
    assert fold("Œuvrer À l'Équipe ÉLÉMENTAIRE") == "oeuvrer a l'equipe elementaire"
    assert normalise("SÉCURITÉ") == normalise("securite")


def test_elisions_are_dropped_in_every_apostrophe_form() -> None:
    assert stems("l'entretien") == stems("entretien")
    assert stems("d\u2019une entreprise qu'il connaît jusqu'au bout") == stems("une entreprise il connaît au bout")
    # A lone letter that is no elision stays: permis B, langage C.
    assert stems("permis B") == ["perm", "b"]
    assert "c" in stems("langage C")


def test_plurals_and_inflections_share_a_stem() -> None:
    assert normalise("Bases de données") == normalise("base de donnée")
    assert normalise("les locaux") == normalise("local")
    assert normalise("informatiques") == normalise("informatique")


def test_stop_words_and_punctuation_are_dropped() -> None:
    assert normalise("Gestion, des stocks !") == normalise("gestion stock")
    assert stems("C++ et C#") == ["c++", "c#"]


def test_sentence_breaks_match_split_sentences() -> None:
    text = "Technicien (H/F)\nNode.js; SQL. Fin"
    tokens = stems(text, keep_breaks=True)
    pieces = split_sentences(text)
    assert tokens.count("\n") == len(pieces) - 1
    assert pieces[1] == "Node.js"  # a dot inside a word is no sentence break


def _hits(extractor: SkillExtractor, text: str) -> set[int]:
    frame = pd.DataFrame({"offer_id": ["x"], "title": [""], "description": [text], "rome_code": [""]})
    return set(extractor.exact_matches(frame)["skill_code"])


@pytest.fixture(scope="module")
def text_only(snapshot_dir: Path) -> SkillExtractor:
    """Unfitted (the text-only score), over the ROME items and fiches' items alone, read by the
    ROME parser under the warehouse's column names: the automaton needs no ESCO bridge nor build."""
    items = rome.parse("items", snapshot_dir).rows.rename(
        columns={"code_ogr": "skill_code", "libelle": "label", "code_rubrique": "rubrique_code"}
    )
    occupation_items = rome.parse("coherence_items", snapshot_dir).rows.rename(
        columns={"code_rome": "rome_code", "code_ogr": "skill_code", "coeur_metier": "core_level"}
    )
    empty = pd.DataFrame()
    inputs = ExtractorInputs(
        items=items,
        occupation_items=occupation_items,
        esco_labels=pd.DataFrame({"skill_code": pd.Series(dtype="int64"), "label": pd.Series(dtype=str)}),
        occupation_labels=empty,
        offers=empty,
        labels=empty,
    )
    return SkillExtractor.from_inputs(inputs)


def test_automaton_prefers_the_longest_match(text_only: SkillExtractor) -> None:
    hits = _hits(text_only, "Maîtrise de la programmation en Python pour IA exigée")
    assert 497061 in hits  # "Programmation en Python pour IA"
    assert 113798 not in hits  # "Python" alone is inside the longer match


def test_automaton_respects_word_boundaries(text_only: SkillExtractor) -> None:
    assert 403039 in _hits(text_only, "Vous maîtrisez Excel.")
    assert 403039 not in _hits(text_only, "Une excellente présentation")
    assert 113798 not in _hits(text_only, "Pythonista confirmé")


def test_automaton_never_matches_across_sentences(text_only: SkillExtractor) -> None:
    assert 497061 not in _hits(text_only, "Programmation en Python.\nPour IA")
