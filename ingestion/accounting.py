"""Row accounting: source records counted independently of the parsers.

The readers (:func:`ingestion.readers.files.read_delimited`, :func:`ingestion.readers.workbooks.read_sheet_rows`, the
XML readers) and the parsers of JSON files (after :func:`ingestion.readers.files.read_json`) count the records of each file with a
separate minimal reader (Python's ``csv`` module for delimited text, the length of the JSON array,
the sheet's ``max_row``, the number of XML elements) and note the count here. :func:`parse_counted`
runs a table's parser while collecting those notes, so that ``records read = rows landed + rows
quarantined`` checks the parser: a row it drops without quarantining breaks the equation, and
:func:`ingestion.landing.land` fails naming the table and the numbers.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ingestion.tables imports the readers, which note counts here
    from ingestion.tables import ParsedTable, RawTable


@dataclass(frozen=True)
class RecordCount:
    file: str
    records: int
    method: str


@dataclass(frozen=True)
class EncodingDecision:
    file: str
    encoding: str
    evidence: str


@dataclass
class ReadNotes:
    """What the readers noted while a parser ran: record counts and encoding decisions."""

    counts: list[RecordCount]
    encodings: list[EncodingDecision]


class RowAccountingError(ValueError):
    """Records read differ from rows landed + rows quarantined: a parser lost or invented rows."""

    def __init__(self, source: str, table: str, records_read: int, landed: int, quarantined: int, method: str):
        self.records_read = records_read
        self.landed = landed
        self.quarantined = quarantined
        super().__init__(
            f"{source}.{table}: {records_read:,} source records read ({method}) but "
            f"{landed:,} rows landed + {quarantined:,} quarantined = {landed + quarantined:,}; "
            f"{records_read - landed - quarantined:+,} rows unaccounted for"
        )


def check_accounted(source: str, table: str, parsed: ParsedTable) -> None:
    """Raise :class:`RowAccountingError` when the records counted apart from the parser differ
    from the rows parsed plus those set aside (nothing to check when nobody counted them)."""
    if parsed.records_read is not None and parsed.records_read != parsed.rows_accounted:
        raise RowAccountingError(
            source, table, parsed.records_read, len(parsed.rows), len(parsed.rejects), parsed.counted_as or "counted"
        )


_NOTES: ContextVar[ReadNotes | None] = ContextVar("read_notes", default=None)


def note_records(path: Path, records: int, method: str) -> None:
    """Record that ``path`` holds ``records`` source records (a no-op outside :func:`counting`)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.counts.append(RecordCount(path.name, records, method))


def note_encoding(path: Path, encoding: str, evidence: str) -> None:
    """Record how the encoding of ``path`` was decided (a no-op outside :func:`counting`)."""
    notes = _NOTES.get()
    if notes is not None:
        notes.encodings.append(EncodingDecision(path.name, encoding, evidence))


@contextmanager
def counting() -> Iterator[ReadNotes]:
    """Collect the record counts and encoding decisions the readers note while the block runs."""
    notes = ReadNotes([], [])
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def count_delimited_records(text: str, separator: str, *, has_header: bool) -> int:
    """Records of delimited text by Python's csv module (quoted newlines kept, blank lines counted)."""
    records = sum(1 for _ in csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    return max(records - 1, 0) if has_header else records


def count_xml_elements(data: bytes, *names: str, within: tuple[str, ...] = ()) -> int:
    """Elements whose local name is one of ``names`` and, when ``within`` is given, whose ancestors
    end with those local names (nearest last), by a streaming parse independent of the parser's tree."""
    stack: list[str] = []
    found = 0
    for event, element in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        local = element.tag.rsplit("}", 1)[-1]
        if event == "end":
            stack.pop()
            continue
        if local in names and (not within or tuple(stack[-len(within) :]) == within):
            found += 1
        stack.append(local)
    return found


def parse_counted(raw_table: RawTable, snapshot_dir: Path) -> ParsedTable:
    """Run the table's parser on the snapshot, with the independent count of its records.

    Every raw table must be counted: a parser whose files no reader counted (and that sets no
    count itself) is an error here, so that no table lands with an accounting that cannot fail.
    """
    parsed = counted(lambda: raw_table.parse(snapshot_dir))
    if parsed.records_read is None:
        raise UncountedRecordsError(raw_table.source, raw_table.table, [file.name for file in parsed.files])
    return parsed


class UncountedRecordsError(ValueError):
    """A raw table whose source records nobody counted apart from its parser."""

    def __init__(self, source: str, table: str, files: list[str]) -> None:
        super().__init__(
            f"{source}.{table}: the records of {files} were not counted apart from the parser "
            "(read them with a counting reader, or set ParsedTable.records_read from the document)"
        )


def counted(parse: Callable[[], ParsedTable]) -> ParsedTable:
    """Run ``parse`` and attach the independent count of the records of the files it read.

    A parser may set ``records_read`` itself (records that are not one per file line or element,
    e.g. nested lists); otherwise the readers' notes are used when every file read was counted.
    """
    with counting() as notes:
        parsed = parse()
    parsed.encoding_evidence = {
        **{decision.file: f"{decision.encoding}: {decision.evidence}" for decision in notes.encodings},
        **parsed.encoding_evidence,
    }
    if parsed.records_read is None:
        by_file = {note.file: note for note in notes.counts}  # the last count of a file read twice
        names = [file.name for file in parsed.files]
        if names and all(name in by_file for name in names):
            parsed.records_read = sum(by_file[name].records for name in dict.fromkeys(names))
            parsed.counted_as = ", ".join(sorted({by_file[name].method for name in names}))
    return parsed
