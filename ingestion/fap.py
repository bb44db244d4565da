"""DARES familles professionnelles (FAP): ROME v3 to FAP2009 passage, FAP2009 and FAP2021 labels.

The passage is published as SAS ``proc format`` source (cp1252, CRLF), two formats:

- ``$FAP9RSQ``: ROME v3 code (5 characters) to FAP2009, for the ROME codes whose family does not
  depend on the job's qualification; every other code falls to ``Other = "ZZZZZ"``.
- ``$FAP9RAQ``: ROME v3 code followed by the 1-character France Travail qualification (6
  characters, ``"A14160"``) to FAP2009, for the codes that ``$FAP9RSQ`` sends to ``ZZZZZ``.

:func:`parse_sas_formats` reads that language for real (block and statement comments, ``proc
format``, ``value`` statements, quoted key lists, ``Other``, ``run``), so that any line it does not
understand stops the source with an error naming the line, rather than silently losing mappings.

``intitule_fap2009.txt`` (the same SAS format language, FAP2009 labels at 5 levels) is read by the
same parser into ``fap2009_format_labels``: it adds what the CSV of labels lacks, the 4 groups
(AGR, BTP, IND, TER) and the whole-nomenclature level, and gives labels that a test compares with
the CSV's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ingestion.casting import REJECT_REASON, Column
from ingestion.errors import SourceFileError
from ingestion.readers.delimited import parse_delimited
from ingestion.readers.files import ROW_NUMBER, SOURCE_FILE, decode, snapshot_file
from ingestion.rules import ROME_CODE, TableRules, matches
from ingestion.tables import ParsedTable, RawTable, empty_rejects

FOLDER = "fap"
SOURCE = "fap"
PASSAGE_FILE = "passage_fap2009_romev3.txt"
LABELS_SAS_FILE = "intitule_fap2009.txt"

# The value SAS returns for a key the format does not list: "look the code up in $FAP9RAQ".
QUALIFICATION_NEEDED = "ZZZZZ"
WITHOUT_QUALIFICATION = "$FAP9RSQ"
WITH_QUALIFICATION = "$FAP9RAQ"

_QUOTED = r'"[^"]*"'
_MAPPING = re.compile(
    rf"^(?P<keys>{_QUOTED}(?:\s*,\s*{_QUOTED})*|other)\s*=\s*\"(?P<value>[^\"]*)\"\s*(?P<end>;)?$",
    re.IGNORECASE,
)
_VALUE = re.compile(r"^value\s+(?P<name>\$?[A-Za-z_][A-Za-z0-9_]*)(?:\s*\([^)]*\))?\s*(?P<end>;)?$", re.IGNORECASE)
_PROC = re.compile(r"^proc\s+format\b[^;]*;$", re.IGNORECASE)
_RUN = re.compile(r"^run\s*;$", re.IGNORECASE)
_EXPECTED_STATEMENT = (
    'a SAS proc format statement (a comment, "proc format;", "value $NAME", '
    '"key"[, "key"...] = "label", other = "label", or "run;")'
)


@dataclass(frozen=True)
class SasFormats:
    """The mappings of a SAS format file: one row per (format, key), plus each format's default."""

    entries: pd.DataFrame  # format_name, source_key, value, _row_number (the line of the mapping)
    defaults: dict[str, str]
    encoding: str


def _strip_block_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line without its /* ... */ parts, and whether a comment is still open at its end."""
    kept: list[str] = []
    position = 0
    while position < len(line):
        if in_comment:
            end = line.find("*/", position)
            if end < 0:
                return "".join(kept), True
            position, in_comment = end + 2, False
        else:
            start = line.find("/*", position)
            if start < 0:
                kept.append(line[position:])
                break
            kept.append(line[position:start])
            position, in_comment = start + 2, True
    return "".join(kept), in_comment


def parse_sas_formats(path: Path) -> SasFormats:
    """Read the ``value`` statements of a SAS ``proc format`` source file.

    A loop over lines: this is a parser for a few hundred lines of a small language, not row work.
    """
    decoded = decode(path)
    names: list[str] = []
    keys: list[str] = []
    values: list[str] = []
    lines: list[int] = []
    defaults: dict[str, str] = {}
    current: str | None = None  # the format whose value statement is open
    current_line = 0
    in_block_comment = False
    in_statement_comment = False

    def fail(number: int, expected: str, found: str) -> SourceFileError:
        return SourceFileError(path, f"line {number}", expected, repr(found[:100]))

    for number, raw_line in enumerate(decoded.text.splitlines(), start=1):
        line, in_block_comment = _strip_block_comments(raw_line, in_block_comment)
        line = line.strip()
        if in_statement_comment:
            # A "* ... ;" comment statement runs to its semicolon, possibly over several lines.
            in_statement_comment = ";" not in line
            continue
        if not line:
            continue
        if line.startswith("*"):
            in_statement_comment = ";" not in line
            continue
        if _PROC.match(line):
            if current is not None:
                raise fail(
                    number,
                    f"the end (;) of value statement {current} opened on line {current_line}",
                    line,
                )
            continue
        if _RUN.match(line):
            if current is not None:
                raise fail(
                    number,
                    f"the end (;) of value statement {current} opened on line {current_line}",
                    line,
                )
            continue
        value_statement = _VALUE.match(line)
        if value_statement:
            if current is not None:
                raise fail(
                    number,
                    f"the end (;) of value statement {current} opened on line {current_line}",
                    line,
                )
            name = value_statement["name"].upper()
            if name in defaults or name in names:
                raise fail(number, f"a format defined once; {name} is defined twice", line)
            current, current_line = (None, 0) if value_statement["end"] else (name, number)
            continue
        mapping = _MAPPING.match(line)
        if mapping:
            if current is None:
                raise fail(number, "a mapping inside a value statement (after value $NAME)", line)
            if mapping["keys"].lower() == "other":
                defaults[current] = mapping["value"]
            else:
                for key in re.findall(_QUOTED, mapping["keys"]):
                    names.append(current)
                    keys.append(key[1:-1])
                    values.append(mapping["value"])
                    lines.append(number)
            if mapping["end"]:
                current = None
            continue
        raise fail(number, _EXPECTED_STATEMENT, line)
    if in_block_comment:
        raise SourceFileError(path, "end of file", "the end (*/) of a block comment", "end of file")
    if current is not None:
        raise SourceFileError(
            path,
            "end of file",
            f"the end (;) of value statement {current} opened on line {current_line}",
            "end of file",
        )
    entries = pd.DataFrame(
        {
            "format_name": pd.array(names, dtype="string"),
            "source_key": pd.array(keys, dtype="string"),
            "value": pd.array(values, dtype="string"),
            ROW_NUMBER: pd.array(lines, dtype="Int64"),
        }
    )
    duplicated = entries.duplicated(["format_name", "source_key"], keep="first")
    if duplicated.any():
        first = entries[duplicated].iloc[0]
        raise fail(
            int(first[ROW_NUMBER]),
            f"each key once per format; {first['source_key']!r} is already mapped in {first['format_name']}",
            str(first["source_key"]),
        )
    return SasFormats(entries=entries, defaults=defaults, encoding=decoded.encoding)


def _reject(rows: pd.DataFrame, mask: pd.Series, reason: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    rejects = rows.loc[mask].astype("string").copy()
    rejects[REJECT_REASON] = reason[mask]
    return rows.loc[~mask].reset_index(drop=True), rejects.reset_index(drop=True)


_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_VALUE_BLOCK = re.compile(r"\bvalue\s+(\$?\w+)(.*?);", re.S | re.I)
_ASSIGNMENT = re.compile(r"((?:\s*(?:\"[^\"]*\"|'[^']*'|other)\s*,?)+)=\s*(?:\"[^\"]*\"|'[^']*')", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")


def count_format_keys(text: str, formats: set[str] | None = None) -> int:
    """The quoted keys of the value statements (of ``formats``, or all), counted with regular
    expressions over the whole text, apart from :func:`parse_sas_formats`'s line reader."""
    text = _BLOCK_COMMENT.sub(" ", text)
    return sum(
        len(_QUOTED.findall(keys))
        for block in _VALUE_BLOCK.finditer(text)
        if formats is None or block.group(1).upper() in formats
        for keys in _ASSIGNMENT.findall(block.group(2))
    )


def _counted(parsed: ParsedTable, path: Path, formats: set[str] | None = None) -> ParsedTable:
    parsed.records_read = count_format_keys(decode(path).text, formats)
    parsed.counted_as = "quoted keys of the value statements (regular expressions)"
    return parsed


def parse_passage(snapshot_dir: Path) -> ParsedTable:
    """One row per (format, key) of the ROME v3 to FAP2009 passage."""
    path = snapshot_file(snapshot_dir, FOLDER, PASSAGE_FILE)
    formats = parse_sas_formats(path)
    missing = [
        name for name in (WITHOUT_QUALIFICATION, WITH_QUALIFICATION) if name not in set(formats.entries["format_name"])
    ]
    if missing:
        raise SourceFileError(
            path,
            "value statements",
            f"formats {missing}",
            f"formats {sorted(set(formats.entries['format_name']))}",
        )
    entries = formats.entries[formats.entries["format_name"].isin([WITHOUT_QUALIFICATION, WITH_QUALIFICATION])]
    key = entries["source_key"]
    rows = pd.DataFrame(
        {
            SOURCE_FILE: path.name,
            ROW_NUMBER: entries[ROW_NUMBER],
            "format_name": entries["format_name"],
            "source_key": key,
            "code_rome_v3": key.str.slice(0, 5),
            "qualification": key.str.slice(5).where(entries["format_name"] == WITH_QUALIFICATION),
            "fap2009_code": entries["value"],
        }
    ).reset_index(drop=True)
    qualified = rows["format_name"] == WITH_QUALIFICATION
    key_ok = (
        rows["source_key"]
        .str.fullmatch(r"[A-N]\d{4}")
        .astype(bool)
        .where(~qualified, rows["source_key"].str.fullmatch(r"[A-N]\d{4}[0-9A-Z]").astype(bool))
    )
    expected_key = pd.Series("a ROME v3 code (A1101)", index=rows.index).where(
        ~qualified, "a ROME v3 code + 1-character qualification (A14160)"
    )
    fap_ok = rows["fap2009_code"].str.fullmatch(r"[A-Z]\d[A-Z]\d{2}").astype(bool)
    reason = pd.Series("", index=rows.index, dtype="object")
    reason[~key_ok] += (
        "column 'source_key': expected " + expected_key + ", found " + rows["source_key"].astype(str).map(repr) + "; "
    )[~key_ok]
    reason[~fap_ok] += (
        "column 'fap2009_code': expected a FAP2009 code (A0Z40), found "
        + rows["fap2009_code"].astype(str).map(repr)
        + "; "
    )[~fap_ok]
    rows, rejects = _reject(rows, reason != "", reason.str.rstrip("; "))
    parsed = ParsedTable(
        rows=rows,
        rejects=rejects,
        files=[path],
        encodings={path.name: formats.encoding},
        notes={"defaults": formats.defaults},
    )
    return _counted(parsed, path, {WITHOUT_QUALIFICATION.upper(), WITH_QUALIFICATION.upper()})


def parse_format_labels(snapshot_dir: Path) -> ParsedTable:
    """One row per (level, code) of the FAP2009 label formats ($FAP9_0L, _GL, _1L, _3L, _5L)."""
    path = snapshot_file(snapshot_dir, FOLDER, LABELS_SAS_FILE)
    formats = parse_sas_formats(path)
    entries = formats.entries
    # Labels read "A0Z40 : Agriculteurs salariés": the code is repeated before " : ".
    split = entries["value"].str.extract(r"^(?P<prefix>[^:]*?)\s*:\s*(?P<label>.*)$")
    rows = pd.DataFrame(
        {
            SOURCE_FILE: path.name,
            ROW_NUMBER: entries[ROW_NUMBER],
            "format_name": entries["format_name"],
            "fap2009_code": entries["source_key"],
            "label": split["label"].fillna(entries["value"]).str.strip(),
            "formatted_value": entries["value"],
        }
    ).reset_index(drop=True)
    parsed = ParsedTable(
        rows=rows,
        rejects=empty_rejects(),
        files=[path],
        encodings={path.name: formats.encoding},
        notes={"defaults": formats.defaults},
    )
    return _counted(parsed, path)


# The two SAS format files are read entry by entry, not through a schema: their output columns.
PASSAGE_COLUMNS = [
    Column("format_name", required=True),
    Column("source_key", required=True),
    Column("code_rome_v3", required=True),
    Column("qualification"),
    Column("fap2009_code", required=True),
]
FORMAT_LABEL_COLUMNS = [
    Column("format_name", required=True),
    Column("fap2009_code", required=True),
    Column("label", required=True),
    Column("formatted_value"),
]

FAP2009_LABELS = [
    Column("code_fap_detaillees", source="Code FAP détaillées", required=True),
    Column("fap_detaillees", source="FAP détaillées", required=True),
    Column("code_fap_agregees", source="Code FAP agrégées", required=True),
    Column("fap_agregees", source="FAP agrégées"),
    Column("code_domaines_professionnels", source="Code domaines professionnels", required=True),
    Column("domaines_professionnels", source="domaines professionnels"),
]

FAP2021 = [
    Column("code_fap_341", required=True),
    Column("intitule_fap_341", required=True),
    Column("code_fap_228", required=True),
    Column("intitule_fap_228"),
    Column("code_fap_86", required=True),
    Column("intitule_fap_86"),
    Column("code_fap_22", required=True),
    Column("intitule_fap_22"),
]


def parse_fap2009_labels(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, "Intitules_FAP2009.csv"), FAP2009_LABELS, separator=";")


def parse_fap2021(snapshot_dir: Path) -> ParsedTable:
    return parse_delimited(snapshot_file(snapshot_dir, FOLDER, "dares_nomenclature_fap2021.csv"), FAP2021)


RULES: dict[str, TableRules] = {
    "rome_v3_to_fap2009": TableRules(
        unique=("format_name", "source_key"), row_rules=(matches("code_rome_v3", ROME_CODE, "rome_code"),)
    ),
    "fap2009_labels": TableRules(unique=("code_fap_detaillees",)),
    "fap2009_format_labels": TableRules(unique=("format_name", "fap2009_code")),
    "fap2021_nomenclature": TableRules(unique=("code_fap_341",)),
}

TABLES: list[RawTable] = [
    RawTable(
        SOURCE,
        "rome_v3_to_fap2009",
        "One row per (SAS format, key) of the DARES ROME v3 to FAP2009 passage: $FAP9RSQ maps a ROME v3 "
        "code to its FAP2009 (331 codes), $FAP9RAQ maps ROME v3 + 1-character qualification to FAP2009 "
        "(for the 201 other codes); together all 532 ROME v3 codes. Source: DARES, "
        "passage_fap2009_romev3.txt (SAS proc format, cp1252).",
        parse_passage,
        PASSAGE_COLUMNS,
        RULES["rome_v3_to_fap2009"],
    ),
    RawTable(
        SOURCE,
        "fap2009_labels",
        "One row per detailed FAP2009 family (225) with its aggregated family (87) and professional "
        "domain (22), codes and labels. Source: DARES, Intitules_FAP2009.csv.",
        parse_fap2009_labels,
        FAP2009_LABELS,
        RULES["fap2009_labels"],
    ),
    RawTable(
        SOURCE,
        "fap2009_format_labels",
        "One row per (level, code) of the DARES FAP2009 SAS label formats: whole nomenclature ($FAP9_0L), "
        "4 groups ($FAP9_GL, not in the CSV), 22 domains, 87 aggregated and 225 detailed families. "
        "Source: DARES, intitule_fap2009.txt (SAS proc format, cp1252).",
        parse_format_labels,
        FORMAT_LABEL_COLUMNS,
        RULES["fap2009_format_labels"],
    ),
    RawTable(
        SOURCE,
        "fap2021_nomenclature",
        "One row per FAP2021 family at the finest level (341) with its 228-, 86- and 22-level parents; "
        "the 228 level is the BMO métier code. Source: DARES, dares_nomenclature_fap2021.csv.",
        parse_fap2021,
        FAP2021,
        RULES["fap2021_nomenclature"],
    ),
]
