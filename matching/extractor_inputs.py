"""The skill extractor's inputs, read from the built warehouse (read-only): every table it learns from.

- ROME 4.0 items (``staging.stg_rome__items``) and the items of each fiche with their core flag
  (``staging.stg_rome__occupation_items``): the dictionary's labels and the occupation features;
- the ESCO labels bridged to an item (``intermediate.int_skill_esco_labels_bridged``): the one
  ESCO-ROME bridge, which the skills mart shows too;
- the names of each fiche (``intermediate.int_occupation_labels_unioned``): what the occupation
  inferrer compares offer texts with;
- the labelled offers: the kept version of every posting, its ROME code empty when the referential
  does not know it (``intermediate.int_job_postings_occupations_checked``: the extractor then infers
  one, as for an offer without a code) and the ROME items its recruiter coded in ``competences`` (``intermediate.int_posting_skills_structured``),
  which only the fitting and the evaluation read.

Every query sorts its rows: the warehouse's physical order changes from one build to the next,
and the order decides ties (vocabulary ids, stable sorts), hence the fitted extractor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from matching.offers import OFFER_COLUMNS, place_offers

ITEMS = "select skill_code, label, rubrique_code from staging.stg_rome__items order by skill_code"

OCCUPATION_ITEMS = """
    select rome_code, skill_code, core_level
    from staging.stg_rome__occupation_items
    order by rome_code, skill_code
"""

ESCO_LABELS = "select skill_code, label from intermediate.int_skill_esco_labels_bridged order by skill_code, label"

OCCUPATION_LABELS = """
    select rome_code, parent_rome_code, label
    from intermediate.int_occupation_labels_unioned
    order by rome_code, label
"""

# Text fields are never NULL for the extractor: a missing title or description is an empty text.
POSTINGS = """
    select posting_id as offer_id, coalesce(title, '') as title, coalesce(description, '') as description,
           coalesce(rome_code, '') as rome_code
    from intermediate.int_job_postings_occupations_checked
    order by posting_id
"""

POSTING_LABELS = """
    select posting_id as offer_id, skill_code
    from intermediate.int_posting_skills_structured
    order by posting_id, skill_code
"""


@dataclass(frozen=True)
class ExtractorInputs:
    items: pd.DataFrame  # skill_code, label, rubrique_code
    occupation_items: pd.DataFrame  # rome_code, skill_code, core_level
    esco_labels: pd.DataFrame  # skill_code, label
    occupation_labels: pd.DataFrame  # rome_code, parent_rome_code, label
    offers: pd.DataFrame  # offer_id, title, description, rome_code, group, split, fold
    labels: pd.DataFrame  # offer_id, skill_code, split, fold

    @property
    def parent_codes(self) -> pd.Series:
        """rome_code -> historic parent code of every fiche."""
        fiches = self.occupation_labels.drop_duplicates("rome_code")
        return fiches.set_index("rome_code")["parent_rome_code"]


def read_extractor_inputs(connection: duckdb.DuckDBPyConnection) -> ExtractorInputs:
    """The extractor's inputs from an open warehouse connection; offers and labels carry their
    near-duplicate group, split and fold (:func:`matching.offers.place_offers`)."""

    def fetch(sql: str) -> pd.DataFrame:
        return connection.execute(sql).df()

    offers = fetch(POSTINGS).astype({column: str for column in OFFER_COLUMNS})
    labels = fetch(POSTING_LABELS).astype({"offer_id": str, "skill_code": "int64"})
    offers, labels = place_offers(offers, labels)
    return ExtractorInputs(
        items=fetch(ITEMS),
        occupation_items=fetch(OCCUPATION_ITEMS),
        esco_labels=fetch(ESCO_LABELS),
        occupation_labels=fetch(OCCUPATION_LABELS).astype(str),
        offers=offers,
        labels=labels,
    )


def load_extractor_inputs(warehouse: Path) -> ExtractorInputs:
    """:func:`read_extractor_inputs` on a read-only connection to the warehouse file."""
    if not Path(warehouse).exists():
        raise FileNotFoundError(f"{warehouse}: no warehouse there; build it first (make run)")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return read_extractor_inputs(connection)
