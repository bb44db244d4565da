"""The skill dictionary: normalised labels that name a ROME 4.0 item (``code_ogr``).

Three kinds of entry, all normalised with :func:`matching.text.normalise`:

- ``rome``: the label of every ROME 4.0 item (savoir-faire, savoir-être, savoirs, work contexts;
  ``unix_item``).
- ``rome_alias``: short names derived from a knowledge item's label (a *savoir*), so that an offer
  saying "Excel" or "Python" finds "Microsoft Excel" or "Programmation en Python": the label
  without a generic head word ("Microsoft", "Logiciel", "Programmation en", "Langage"...), and a
  single-word acronym in parentheses ("Transact SQL (T-SQL)" -> "T-SQL"). An alias that is already
  the full label of another item is not added.
- ``esco``: ESCO v1 French labels. ESCO has no ROME code of its own: the bridge is the warehouse's
  (dbt ``int_skill_esco_matches_ranked``, the one the skills mart shows): an item reaches the ESCO
  skill one of whose labels equals its own label after normalisation, and every label of that
  skill (``int_skill_esco_labels_bridged``) becomes an entry for the item, unless it is already
  the pattern of a ROME label or alias.

A normalised pattern can name several items (ROME repeats some labels under different codes); the
dictionary keeps all of them and the extractor prefers those linked to the offer's occupation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import ahocorasick
import numpy as np
import pandas as pd

from matching.config import DICTIONARY_PATTERNS
from matching.text import BREAK, normalise, stem

SAVOIR_RUBRIQUE = 3
_GENERIC_HEADS = re.compile(
    r"^(?:microsoft|logiciels?|progiciels?|langages?(?: de programmation)?|programmation en)\s+(?!d[eu]s?\b|d')",
    re.IGNORECASE,
)
# An upper-case acronym in parentheses: "(T-SQL)", "(BPL)"; "(Gestion)" or "(trice)" is no name.
_ACRONYM = re.compile(r"\(([A-Z0-9][A-Z0-9+#\-./]{1,15})\)")

# Stems are encoded as two characters each, a "high" digit and a "low" digit taken from two
# disjoint ranges: a match can then only start on a high digit and end on a low one, so the
# automaton matches whole stems only (word boundaries for free). Two digits rather than one
# character per stem because pyahocorasick scans a node's children linearly: a root with 8,000
# children made matching ten times slower than a root with 90.
UNKNOWN_CHAR = "\x01"
BREAK_CHAR = "\x02"
_FIRST_CODE_POINT = 0x100


def digit_base(vocabulary_size: int) -> int:
    return max(2, math.isqrt(max(vocabulary_size - 1, 1)) + 1)


def code_point(stem_id: int, base: int) -> str:
    high, low = divmod(stem_id, base)
    return chr(_FIRST_CODE_POINT + high) + chr(_FIRST_CODE_POINT + base + low)


@dataclass
class SkillDictionary:
    entries: pd.DataFrame  # skill_code, label, pattern, origin
    item_labels: pd.Series  # code_ogr -> ROME label
    vocabulary: dict[str, int]  # stem -> id

    @classmethod
    def from_tables(cls, items: pd.DataFrame, esco_labels: pd.DataFrame | None = None) -> SkillDictionary:
        """``items``: the ROME 4.0 items (skill_code, label, rubrique_code); ``esco_labels``: the
        ESCO labels bridged to an item (skill_code, label), none when omitted."""
        items = items.rename(columns={"skill_code": "code_ogr", "label": "libelle", "rubrique_code": "code_rubrique"})
        items = items[["code_ogr", "libelle", "code_rubrique"]]
        items = items.dropna(subset=["code_ogr", "libelle"]).drop_duplicates("code_ogr")
        entries = rome_entries(items)
        if esco_labels is not None:
            entries = pd.concat([entries, esco_entries(esco_labels, entries)], ignore_index=True)
        entries = entries[entries["pattern"].str.len() >= DICTIONARY_PATTERNS.min_pattern_chars]
        entries = entries.drop_duplicates(["skill_code", "pattern"])
        vocabulary: dict[str, int] = {}
        for pattern in entries["pattern"].unique():
            for token in pattern.split(" "):
                vocabulary.setdefault(token, len(vocabulary))
        labels = pd.Series(items["libelle"].astype(str).to_numpy(), index=items["code_ogr"].astype("int64"))
        return cls(entries.reset_index(drop=True), labels, vocabulary)

    @property
    def base(self) -> int:
        return digit_base(len(self.vocabulary))

    def encode(self, pattern: str) -> str:
        base = self.base
        return "".join(code_point(self.vocabulary[token], base) for token in pattern.split(" "))

    def automaton(self, origins: tuple[str, ...] = ("rome", "rome_alias", "esco")) -> ahocorasick.Automaton:
        """Aho-Corasick automaton over the encoded patterns; value = (pattern length, codes)."""
        chosen = self.entries[self.entries["origin"].isin(origins)]
        pairs = chosen[["pattern", "skill_code"]].drop_duplicates().sort_values(["pattern", "skill_code"])
        patterns = pairs["pattern"].to_numpy(dtype=object)
        codes = pairs["skill_code"].to_numpy(dtype=np.int64)
        starts = (
            np.flatnonzero(np.r_[True, patterns[1:] != patterns[:-1]]) if len(patterns) else np.zeros(0, dtype=np.int64)
        )
        automaton = ahocorasick.Automaton()
        # One word per pattern, its item codes sorted (runs of the sorted pairs, no group-by lambda).
        for pattern, pattern_codes in zip(patterns[starts], np.split(codes, starts[1:]), strict=True):
            key = self.encode(pattern)
            automaton.add_word(key, (len(key), tuple(int(code) for code in pattern_codes)))
        automaton.make_automaton()
        return automaton

    def encode_stems(self, stems: list[str]) -> str:
        """One character per stem of a text: known stems, unknown ones, and sentence breaks."""
        vocabulary, base = self.vocabulary, self.base
        return "".join(
            BREAK_CHAR if s == BREAK else (code_point(vocabulary[s], base) if s in vocabulary else UNKNOWN_CHAR)
            for s in stems
        )


def rome_entries(items: pd.DataFrame) -> pd.DataFrame:
    codes = items["code_ogr"].astype("int64").to_numpy()
    labels = items["libelle"].astype(str)
    full = pd.DataFrame({"skill_code": codes, "label": labels.to_numpy(), "origin": "rome"})
    full["pattern"] = full["label"].map(normalise)

    savoirs = items[items["code_rubrique"] == SAVOIR_RUBRIQUE]
    savoir_labels = savoirs["libelle"].astype(str)
    headless = savoir_labels.str.replace(_GENERIC_HEADS, "", regex=True)
    acronyms = savoir_labels.str.extract(_ACRONYM, expand=False)
    alias = pd.concat(
        [
            pd.DataFrame({"skill_code": savoirs["code_ogr"].astype("int64").to_numpy(), "label": headless.to_numpy()})[
                (headless != savoir_labels).to_numpy()
            ],
            pd.DataFrame(
                {"skill_code": savoirs["code_ogr"].astype("int64").to_numpy(), "label": acronyms.to_numpy()}
            ).dropna(),
        ],
        ignore_index=True,
    )
    alias["origin"] = "rome_alias"
    alias["pattern"] = alias["label"].map(normalise)
    # An alias never takes over the full label of another item, and an alias shared by several
    # items is too vague to keep.
    alias = alias[~alias["pattern"].isin(set(full["pattern"]))]
    alias = alias[alias.groupby("pattern")["skill_code"].transform("nunique") == 1]
    return pd.concat([full, alias], ignore_index=True)


def esco_entries(esco_labels: pd.DataFrame, rome_entries_: pd.DataFrame) -> pd.DataFrame:
    """Dictionary entries of the ESCO labels bridged to an item (skill_code, label): those whose
    pattern is not already that of a ROME label or alias."""
    out = esco_labels[["skill_code", "label"]].dropna().astype({"skill_code": "int64", "label": str})
    out = out.assign(label=out["label"].str.strip())
    out = out[out["label"] != ""].drop_duplicates()
    out["pattern"] = out["label"].map(normalise)
    out = out[~out["pattern"].isin(set(rome_entries_["pattern"]))]
    out["origin"] = "esco"
    return out[["skill_code", "label", "pattern", "origin"]].reset_index(drop=True)


__all__ = ["SkillDictionary", "stem"]
