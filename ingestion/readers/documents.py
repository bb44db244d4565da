"""Readers shared by the training-supply parsers: JSON record lists, LHEO XML, header names.

Every reader returns a frame of strings with the provenance columns ``_source_file`` and
``_row_number``; typing is left to :func:`ingestion.casting.apply_schema` as for delimited files.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ingestion.errors import SourceFileError
from ingestion.readers import files
from ingestion.readers.files import read_bytes, with_provenance

LIST_SEPARATOR = ";"


def snake_case(header: str) -> str:
    """Header names of the training formats: camelCase split as well (``proximiteRomes`` -> ``proximite_romes``)."""
    return files.snake_case(header, split_camel_case=True)


def _cell(value: object) -> str | None:
    # Lists (periods, ROME codes) are kept whole as one ';'-joined cell; the parser that needs
    # one row per element builds a child table from the original list instead.
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_cell(item) for item in value]
        return LIST_SEPARATOR.join(item for item in items if item is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def records_frame(path: Path, records: object, fields: Iterable[str], location: str = "top level") -> pd.DataFrame:
    """A frame of strings from a list of JSON objects, one column per requested field.

    Missing keys become NULL (the flows omit empty fields); a record that is not an object, or a
    document that is not a list, is a :class:`SourceFileError`.
    """
    if not isinstance(records, list):
        raise SourceFileError(path, location, "a JSON array of objects", type(records).__name__)
    wanted = list(fields)
    bad = next((index for index, record in enumerate(records) if not isinstance(record, Mapping)), None)
    if bad is not None:
        raise SourceFileError(path, f"{location}[{bad}]", "a JSON object", type(records[bad]).__name__)
    frame = pd.DataFrame(
        {field: pd.array([_cell(record.get(field)) for record in records], dtype="string") for field in wanted}
    )
    return with_provenance(frame, path)


def missing_fields(records: list[Mapping[str, object]], required: Iterable[str]) -> list[str]:
    """Required keys that no record of a non-empty list carries: a sign of a different format."""
    if not records:
        return []
    present: set[str] = set()
    for record in records:
        present.update(record.keys())
    return [field for field in required if field not in present]


def parse_xml(path: Path) -> ElementTree.Element:
    """The root element; malformed XML names the line and column of the first error."""
    data = read_bytes(path)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise SourceFileError(path, f"line {line}, column {column}", "well-formed XML", str(error)) from error


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def namespace_of(element: ElementTree.Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def xml_text(element: ElementTree.Element | None) -> str | None:
    """Stripped text of an element, None when absent or blank."""
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text or None
