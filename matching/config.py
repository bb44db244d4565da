"""Thresholds and model settings of the matching steps: the one place to read, review and change them.

Each step reads its settings from one frozen instance below (``EXTRACTION``, ``TRAINING_LINKS``,
...); nothing in ``matching`` keeps a threshold, weight, radius or top-k of its own. Each value
carries the reason it has this value: a measurement (see ``matching/EVALUATION.md`` and the
``*_text_evaluation`` assets), a documented judgement, or a cost. Changing one changes the outputs
of the pipeline: rerun ``python -m matching.evaluation`` (extractor) or the training-link
evaluation, and update the figures the documents quote.

Not here: the statistical-secrecy thresholds (suppress below 5, flag below 20), which the dbt
models apply and which live in ``dbt_project/dbt_project.yml`` (vars ``suppress_below``,
``low_count_below``); codes of the referentials (e.g. ROME rubrique 3 = savoirs), which are
facts, not settings; the grid cell of :mod:`matching.geo`, which changes speed, never a result.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SkillExtraction:
    """:mod:`matching.extract`: the skill extractor's model selection and batching."""

    # Group folds of the cross-fitting and cross-validation: each holds out about a fifth of the
    # labelled groups (149 labelled tuning offers: ~30 per fold), at 5 model fits per setting.
    folds: int = 5
    # Inverse regularisation strengths cross-validation chooses from: the extractor picks 0.01,
    # the prior-only baseline 0.1, and out-of-fold F1 varies by 0.002 over the grid (EVALUATION.md).
    c_values: tuple[float, ...] = (0.01, 0.1, 1.0)
    # Offers encoded at once: a cost setting that bounds the memory of one chunk's sparse matrices.
    chunk_offers: int = 2_000
    # Postings the kept extractor is fitted on at most (whole near-duplicate groups,
    # matching.offers.bounded_by_group); every posting is scored, fitted on or not. A cost setting:
    # without it the fit's time and memory grow with the history (the extraction step took 5.6 s
    # and 35 MB more per 1,000 postings from 10,000 to 100,000, most of it the fit, where scoring
    # alone runs about 1,500 postings per second). The same limit as the evaluation's splits.
    # The bundled postings (1,879, 456 of them labelled) are all fitted on: below the limit,
    # nothing changes.
    max_fitted_postings: int = 20_000
    # Postings to score per worker process at least before scoring spreads over processes
    # (matching.fitted_extractor.apply_in_processes): starting a worker (its imports, then the
    # fitted extractor's 36 MB pickle) took 4 to 10 s on a busy 2-core machine, the time one core
    # scores 5,000 to 15,000 postings in. A cost setting: the rows do not depend on it. The bundled
    # postings (1,879) are scored in one process.
    min_postings_per_process: int = 20_000


@dataclass(frozen=True)
class DictionaryPatterns:
    """:mod:`matching.dictionary`: which normalised labels become patterns of the extractor."""

    # A pattern shorter than this (after stemming: "pa", "sa") matches noise, not a skill.
    min_pattern_chars: int = 3


@dataclass(frozen=True)
class ExtractionEvaluation:
    """:mod:`matching.evaluation`: baselines and the paired bootstrap of the extractor's report."""

    # Largest k the frequency baseline may choose: tuning picks k = 5 (EVALUATION.md), well inside.
    max_k: int = 30
    # Resamples of the paired bootstrap of the report offers (the 2000 EVALUATION.md states).
    bootstrap_samples: int = 2_000
    # A fixed seed, so that EVALUATION.md is reproduced figure for figure.
    bootstrap_seed: int = 20_261_130
    # Offers of each split the evaluation reads at most (whole near-duplicate groups, the groups of
    # smallest hash first): its cost stays fixed whatever the number of postings. The bundled
    # offers (1,881) are all read, so EVALUATION.md is unchanged; at 100,000 postings the
    # evaluation of every fit took longer than fitting and scoring them all.
    max_offers_per_split: int = 20_000


@dataclass(frozen=True)
class OccupationInference:
    """:mod:`matching.occupation`: ROME fiche of an offer without one, from its words."""

    # Best single label vs the fiche's bag of labels: a title that is one appellation word for word
    # is the strongest evidence, a title echoing several is the next.
    label_weight: float = 0.7


@dataclass(frozen=True)
class TrainingLinks:
    """:mod:`matching.training_links`: training -> ROME occupation by title similarity."""

    # Parent codes kept per training: a title often fits two or three neighbouring fiches.
    top_k: int = 3
    # Weight of the content text against the title: the title names the occupation, the content
    # mostly the subjects taught.
    content_weight: float = 0.5
    # Distinct texts per similarity product: a cost setting that bounds the memory of one block;
    # each text is ranked alone, so the links do not depend on it.
    chunk_texts: int = 2_000
    # Label weights the evaluation chooses from (the weight itself is chosen on the tuning part).
    label_weight_grid: tuple[float, ...] = (1.0, 0.7, 0.5, 0.3)
    # Similarity thresholds the evaluation chooses from: every hundredth from 0 to 1.
    threshold_grid: tuple[float, ...] = tuple(hundredth / 100 for hundredth in range(101))


@dataclass(frozen=True)
class TrainingSkills:
    """:mod:`matching.training_skills`: RNCP skill blocks and content texts -> ROME items."""

    # Share of an item label's IDF weight one sentence must cover: a judgement on 12 random pairs
    # per band of the bundled Kit (about 5 in 12 right in [0.5, 0.6), 9 to 10 in 12 in [0.6, 0.75)).
    coverage_threshold: float = 0.6
    # Characters of the sentence kept as evidence: enough to read why, short enough for a table cell.
    evidence_chars: int = 200


@dataclass(frozen=True)
class TrainingMatches:
    """:mod:`matching.training_matches`: top trainings per posting and their score."""

    # Search radii tried in turn before the region and France, as La Bonne Alternance widens.
    near_radii_km: tuple[float, ...] = (30.0, 60.0)
    # Score weights (sum 1): teaching the posting's skills matters most, then distance, then the
    # employment rate, which is known for few trainings.
    weight_coverage: float = 0.60
    weight_proximity: float = 0.25
    weight_outcome: float = 0.15
    # Proximity = exp(-km / scale): 30 km (the first radius) divides it by e.
    proximity_scale_km: float = 30.0
    # A training towards a ROME mobility neighbour counts a little less than one for the code itself.
    mobility_factor: float = 0.85
    # Skill weights of a posting: a skill the recruiter requires counts twice a wished or extracted one.
    required_weight: float = 2.0
    other_weight: float = 1.0
    # Trainings kept per posting: what a posting page can show.
    top_trainings: int = 5


@dataclass(frozen=True)
class CandidateMatches:
    """:mod:`matching.candidate_matches`: top candidates per posting."""

    # Candidates kept per posting: a recruiter's shortlist.
    top_candidates: int = 10


EXTRACTION = SkillExtraction()
DICTIONARY_PATTERNS = DictionaryPatterns()
EXTRACTION_EVALUATION = ExtractionEvaluation()
OCCUPATION_INFERENCE = OccupationInference()
TRAINING_LINKS = TrainingLinks()
TRAINING_SKILLS = TrainingSkills()
TRAINING_MATCHES = TrainingMatches()
CANDIDATE_MATCHES = CandidateMatches()
