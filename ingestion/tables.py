"""What a parser returns and how a raw table is declared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingestion.casting import REJECT_REASON, Column
from ingestion.rules import NO_RULES, TableRules


@dataclass
class ParsedTable:
    """The typed rows of one raw table, its rejected rows, and what was read to make it.

    ``records_read`` is the number of source records counted independently of the parser (see
    :mod:`ingestion.accounting`; None when nobody counted them), ``counted_as`` says how; landing
    checks ``records_read == len(rows) + len(rejects)``.
    """

    rows: pd.DataFrame
    rejects: pd.DataFrame
    files: list[Path]
    encodings: dict[str, str] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)
    records_read: int | None = None
    counted_as: str | None = None
    # file name -> how its encoding was decided (BOM, strict UTF-8, detector), for the manifest
    encoding_evidence: dict[str, str] = field(default_factory=dict)

    @property
    def rows_accounted(self) -> int:
        """Rows landed + rows quarantined: what the parser accounts for."""
        return len(self.rows) + len(self.rejects)

    @classmethod
    def combine(cls, parts: list[ParsedTable]) -> ParsedTable:
        """Stack the parsed tables of several files of one table."""
        rows = pd.concat([part.rows for part in parts], ignore_index=True) if parts else pd.DataFrame()
        rejects = [part.rejects for part in parts if len(part.rejects)]
        return cls(
            rows=rows,
            rejects=pd.concat(rejects, ignore_index=True) if rejects else empty_rejects(),
            files=[file for part in parts for file in part.files],
            encodings={name: enc for part in parts for name, enc in part.encodings.items()},
            notes={key: value for part in parts for key, value in part.notes.items()},
            records_read=(
                sum(part.records_read for part in parts)  # type: ignore[misc]
                if parts and all(part.records_read is not None for part in parts)
                else None
            ),
            counted_as=", ".join(sorted({part.counted_as for part in parts if part.counted_as})) or None,
            encoding_evidence={name: why for part in parts for name, why in part.encoding_evidence.items()},
        )


def empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({REJECT_REASON: pd.Series(dtype="string")})


@dataclass(frozen=True)
class RawTable:
    """A table of the raw zone: asset key ``[source, table]``.

    ``description`` states the grain and the origin (it becomes the asset's description);
    ``parse`` reads the snapshot directory and returns the parsed table. ``schema`` is the parser's
    declared columns and ``rules`` the table's keys and row rules: together they make the table's
    quality suite (``quality.raw_suites``).
    """

    source: str
    table: str
    description: str
    parse: Callable[[Path], ParsedTable]
    schema: Sequence[Column] = ()
    rules: TableRules = NO_RULES

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.table)
