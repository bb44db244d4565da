"""Per-table data rules, declared next to each source, and the split of rows that break them.

A :class:`TableRules` says what a raw table must satisfy beyond its declared columns
(:class:`ingestion.casting.Column`: names, types, required):

- ``unique``: key columns that identify a row. A duplicate key is a table-level failure (which of
  the two rows is right cannot be decided here), so it fails the table's quality check.
- ``row_rules``: what each row must satisfy (a code format, a value range, a date not in the
  future, a position inside France). A row that breaks one is set aside: :func:`quarantine_rule_failures`
  moves it to the rejects with a ``reject_reason`` naming the rule and the column, before landing.

The same rules become Great Expectations expectations (``quality.raw_suites``), which check what
actually landed in the raw zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd

from ingestion.casting import REJECT_REASON, ColumnType

if TYPE_CHECKING:
    from ingestion.tables import ParsedTable

# Code formats of the French nomenclatures the sources share.
ROME_CODE = r"^[A-N]\d{4}$"
COMMUNE_CODE = r"^(\d{5}|2[AB]\d{3})$"
DEPARTEMENT_CODE = r"^(\d{2}|2[AB]|97\d)$"
REGION_CODE = r"^\d{2}$"
RNCP_CODE = r"^RNCP\d+$"
CFD_CODE = r"^[0-9A-Z]{8}$"
SIRET = r"^\d{14}$"

# A clock a few hours off at the publisher is not an error: a date is "in the future" past this.
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle, bounds included."""

    name: str
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


# Metropolitan France with Corsica, the overseas départements and the overseas collectivities:
# a position outside every box is not in France (a swapped or zero coordinate, typically).
FRANCE_BOXES: tuple[Box, ...] = (
    Box("metropole", 41.3, 51.2, -5.3, 9.7),
    Box("guadeloupe, saint-martin, saint-barthelemy", 15.8, 18.2, -63.2, -60.9),
    Box("martinique", 14.3, 14.95, -61.3, -60.8),
    Box("guyane", 2.1, 5.9, -54.7, -51.5),
    Box("la reunion", -21.5, -20.8, 55.2, 55.9),
    Box("mayotte", -13.1, -12.6, 44.9, 45.4),
    Box("saint-pierre-et-miquelon", 46.7, 47.2, -56.6, -56.1),
    Box("polynesie francaise", -28.0, -7.8, -155.0, -134.0),
    Box("nouvelle-caledonie", -23.0, -19.5, 163.5, 168.2),
    Box("wallis-et-futuna", -14.4, -13.1, -178.3, -176.1),
)


@dataclass(frozen=True)
class RowRule:
    """One condition on the rows of a table; a NULL value never breaks it (``required`` does that).

    ``kind``: ``matches`` (``pattern``, a full-match regular expression), ``between``
    (``min_value``/``max_value``, inclusive, either may be None), ``not_in_future`` (a date or
    timestamp column), ``inside_france`` (``column`` is the latitude, ``other_column`` the longitude).
    """

    name: str
    kind: str
    column: str
    pattern: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    other_column: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,) if self.other_column is None else (self.column, self.other_column)

    def reason(self) -> str:
        where = " and ".join(repr(column) for column in self.columns)
        if self.kind == "matches":
            expected = f"to match {self.pattern}"
        elif self.kind == "between":
            expected = f"to be between {self.min_value} and {self.max_value}"
        elif self.kind == "not_in_future":
            expected = "not to be in the future"
        else:
            expected = "to be a position inside France (metropole or overseas)"
        return f"rule {self.name}: column {where} expected {expected}"

    def broken(self, rows: pd.DataFrame, now: datetime) -> pd.Series:
        """True for the rows that break the rule (vectorised)."""
        values = rows[self.column]
        present = values.notna()
        if self.kind == "matches":
            text = values.astype("string")
            return present & ~text.str.fullmatch(self.pattern or "").fillna(False).astype(bool)
        if self.kind == "between":
            numbers = pd.to_numeric(values, errors="coerce")
            too_low = numbers < self.min_value if self.min_value is not None else False
            too_high = numbers > self.max_value if self.max_value is not None else False
            return present & (too_low | too_high).fillna(False).astype(bool)
        if self.kind == "not_in_future":
            limit = pd.Timestamp(now + FUTURE_TOLERANCE)
            stamps = pd.to_datetime(values, utc=True, errors="coerce")
            return present & (stamps > limit).fillna(False).astype(bool)
        if self.kind == "inside_france":
            latitude = pd.to_numeric(values, errors="coerce")
            longitude = pd.to_numeric(rows[self.other_column], errors="coerce")
            both = latitude.notna() & longitude.notna()
            inside = pd.Series(False, index=rows.index)
            for box in FRANCE_BOXES:
                inside |= (
                    (
                        latitude.between(box.min_latitude, box.max_latitude)
                        & longitude.between(box.min_longitude, box.max_longitude)
                    )
                    .fillna(False)
                    .astype(bool)
                )
            return both & ~inside
        raise ValueError(f"unknown rule kind {self.kind!r}")


def matches(column: str, pattern: str, name: str) -> RowRule:
    return RowRule(name=name, kind="matches", column=column, pattern=pattern)


def between(column: str, min_value: float | None = None, max_value: float | None = None) -> RowRule:
    name = "non_negative" if (min_value == 0 and max_value is None) else "in_range"
    return RowRule(name=name, kind="between", column=column, min_value=min_value, max_value=max_value)


def non_negative(*column_names: str) -> tuple[RowRule, ...]:
    return tuple(between(column, 0) for column in column_names)


def not_in_future(column: str) -> RowRule:
    return RowRule(name="not_in_future", kind="not_in_future", column=column)


def inside_france(latitude: str, longitude: str) -> RowRule:
    return RowRule(name="inside_france", kind="inside_france", column=latitude, other_column=longitude)


@dataclass(frozen=True)
class TableRules:
    """``landed_types``: columns a parser re-types after casting (a region cast to int, then
    landed as zero-padded text): the type they land with, which the suite expects."""

    unique: tuple[str, ...] = ()
    row_rules: tuple[RowRule, ...] = field(default_factory=tuple)
    landed_types: dict[str, ColumnType] = field(default_factory=dict)


NO_RULES = TableRules()


@dataclass(frozen=True)
class RuleSplit:
    kept: pd.DataFrame
    rejects: pd.DataFrame
    rejected_per_rule: dict[str, int]


def split_rule_failures(rows: pd.DataFrame, rules: Sequence[RowRule], now: datetime | None = None) -> RuleSplit:
    """Split typed ``rows`` into those that keep every rule and those that break one or more.

    Rejects keep their values as text plus a ``reject_reason`` listing every rule broken, like the
    rows :func:`ingestion.casting.apply_schema` rejects. ``rejected_per_rule`` counts rows per
    rule (a row breaking two rules counts in both). A rule on a column the table lacks raises:
    the declaration is wrong, and the quality check would say so anyway.
    """
    now = now or datetime.now(UTC)
    reasons = pd.Series("", index=rows.index, dtype="object")
    counts: dict[str, int] = {}
    for rule in rules:
        missing = [column for column in rule.columns if column not in rows.columns]
        if missing:
            raise KeyError(f"rule {rule.name} names column(s) {missing} absent from the table")
        broken = rule.broken(rows, now)
        key = f"{rule.name}({','.join(rule.columns)})"
        counts[key] = int(broken.sum())
        if broken.any():
            reasons[broken] += (
                rule.reason() + ", found " + rows.loc[broken, rule.column].astype(str).str.slice(0, 60).map(repr) + "; "
            )
    rejected = reasons != ""
    rejects = rows.loc[rejected].astype("string")
    rejects[REJECT_REASON] = reasons[rejected].str.rstrip("; ")
    return RuleSplit(
        kept=rows.loc[~rejected].reset_index(drop=True),
        rejects=rejects.reset_index(drop=True),
        rejected_per_rule=counts,
    )


def quarantine_rule_failures(
    parsed: ParsedTable, rules: TableRules, now: datetime | None = None
) -> tuple[ParsedTable, dict[str, int]]:
    """``parsed`` with the rows breaking a row rule moved to its rejects; rows rejected per rule.

    Nothing is dropped: rows landed + rows quarantined stays what the parser read.
    """
    split = split_rule_failures(parsed.rows, rules.row_rules, now)
    if not len(split.rejects):
        return parsed, split.rejected_per_rule
    rejects = pd.concat([parsed.rejects, split.rejects], ignore_index=True)
    return replace(parsed, rows=split.kept, rejects=rejects), split.rejected_per_rule
