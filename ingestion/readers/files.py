"""Reading source files: transparent gzip, encoding detection, JSON documents, delimited text to string frames.

Every reader returns strings only; typing happens in :mod:`ingestion.casting`, where a value that
does not fit its column goes to quarantine instead of stopping the source.
"""

from __future__ import annotations

import csv
import functools
import gzip
import hashlib
import io
import json
import lzma
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import pandas as pd

from ingestion.accounting import count_delimited_records, note_encoding, note_records
from ingestion.errors import SourceFileError

ROW_NUMBER = "_row_number"
SOURCE_FILE = "_source_file"

# Bytes that cp1252 leaves undefined: a file holding them is neither UTF-8 nor cp1252.
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


def snake_case(header: object, *, split_camel_case: bool = False) -> str:
    """A source header as a raw column name: lowercase ASCII snake_case.

    Ligatures are spelled out (œ -> oe), accents dropped, runs of other characters become ``_``;
    with ``split_camel_case``, ``proximiteRomes`` -> ``proximite_romes`` and ``FicheRNCP`` ->
    ``fiche_rncp``. ``Code métier BMO`` -> ``code_metier_bmo``.
    """
    text = str(header).replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if split_camel_case:
        ascii_text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", ascii_text)
    return re.sub(r"[^0-9a-z]+", "_", ascii_text.lower()).strip("_")


def with_provenance(frame: pd.DataFrame, path: Path, row_numbers: Sequence[int] | None = None) -> pd.DataFrame:
    """Prefix ``frame`` with the file name and each row's record number in that file (1-based
    unless ``row_numbers`` says otherwise, e.g. spreadsheet rows)."""
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(frame) + 1))
    frame = frame.reset_index(drop=True)
    frame.insert(0, ROW_NUMBER, pd.array(numbers, dtype="Int64"))
    frame.insert(0, SOURCE_FILE, path.name)
    return frame


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    evidence: str = ""


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when its name ends in .gz, .xz or .lzma."""
    if not path.exists():
        raise SourceFileError(path, "file", "an existing file", "nothing at that path")
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise SourceFileError(path, "gzip stream", "a valid gzip file", str(error)) from error
    if path.suffix in (".xz", ".lzma"):
        try:
            return lzma.decompress(data)
        except lzma.LZMAError as error:
            raise SourceFileError(path, "lzma stream", "a valid xz/lzma file", str(error)) from error
    return data


def sha256_of(path: Path) -> str:
    """The file's sha256, computed once per version of the file (path, size, modification time):
    the offer days of one big file each name it in their manifest."""
    status = path.stat()
    return _sha256_of_version(str(path.resolve()), status.st_size, status.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _sha256_of_version(path: str, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Encodings a French open-data file that is not UTF-8 plausibly has ("Latin-1" is cp1252 in practice).
PLAUSIBLE_LEGACY_ENCODINGS = ("cp1252", "latin_1")
# charset-normalizer's "chaos" above which a legacy decode reads as noise, not French text.
_MAX_CHAOS = 0.2


def decode(path: Path, data: bytes | None = None) -> DecodedText:
    """Decode a text file, deciding its encoding with evidence (recorded in the manifest).

    1. a byte-order mark says UTF-8 (or UTF-16), and the rest must decode strictly;
    2. a strict UTF-8 decode that succeeds means UTF-8;
    3. otherwise, a file that holds valid multi-byte UTF-8 sequences as well is UTF-8 damaged by
       stray bytes (one cp1252 "é" in a UTF-8 file): an error naming the byte offset, never a
       whole file silently read as cp1252 ("libellé" becoming "libellÃ©");
    4. otherwise charset-normalizer, restricted to cp1252 and Latin-1, must find readable text.

    A file that is none of these is a :class:`SourceFileError` naming the file and the byte offset.
    """
    raw = read_bytes(path) if data is None else data
    decoded = _decide_encoding(path, raw)
    note_encoding(path, decoded.encoding, decoded.evidence)
    return decoded


def _decide_encoding(path: Path, raw: bytes) -> DecodedText:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            try:
                return DecodedText(
                    raw[len(bom) :].decode(encoding), encoding, f"byte-order mark {bom.hex(' ').upper()}"
                )
            except UnicodeDecodeError as error:
                raise SourceFileError(
                    path,
                    f"byte offset {error.start + len(bom)}",
                    f"{encoding} text (the file starts with its BOM)",
                    f"bytes {raw[error.start + len(bom) : error.end + len(bom)].hex(' ').upper()}",
                ) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        offset = utf8_error.start
    else:
        return DecodedText(text, "utf-8", "strict UTF-8 decode" if not raw.isascii() else "ASCII only (valid UTF-8)")
    bad_byte = f"byte 0x{raw[offset]:02X}"
    utf8_sequences = len(_UTF8_MULTIBYTE.findall(raw))
    if utf8_sequences:
        line = raw.count(b"\n", 0, offset) + 1
        raise SourceFileError(
            path,
            f"byte offset {offset} (line {line})",
            "UTF-8 text throughout",
            f"{bad_byte}, invalid in UTF-8, in a file that also holds {utf8_sequences} valid UTF-8 "
            f"multi-byte sequences: UTF-8 with stray bytes of another encoding",
        )
    undefined = next((i for i, byte in enumerate(raw) if byte in _CP1252_UNDEFINED), None)
    if undefined is not None:
        raise SourceFileError(
            path,
            f"byte offset {undefined}",
            "UTF-8 or cp1252 (Windows Latin-1) text",
            f"byte 0x{raw[undefined]:02X}, undefined in cp1252; UTF-8 failed at offset {offset} ({bad_byte})",
        )
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(PLAUSIBLE_LEGACY_ENCODINGS)).best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise SourceFileError(
            path,
            f"byte offset {offset}",
            "UTF-8, or cp1252/Latin-1 that reads as text",
            f"{bad_byte}, invalid in UTF-8, and no plausible legacy encoding"
            + (f" (best {best.encoding}, chaos {best.chaos:.2f})" if best is not None else ""),
        )
    encoding = "cp1252" if best.encoding in PLAUSIBLE_LEGACY_ENCODINGS else best.encoding
    return DecodedText(
        raw.decode(encoding),
        encoding,
        f"UTF-8 failed at byte offset {offset} ({bad_byte}), no UTF-8 multi-byte sequence; "
        f"charset-normalizer: {best.encoding}, chaos {best.chaos:.3f}",
    )


def read_json(path: Path, shape: str | None = None) -> tuple[object, str]:
    """The parsed JSON document of a source file, and the encoding :func:`decode` decided for it.

    A syntax error is a :class:`SourceFileError` naming the file, the line and the column, and
    what was expected: "valid JSON", followed by ``shape`` when given (e.g. "an array of offers").
    The caller checks the document's shape and counts its records.
    """
    decoded = decode(path)
    try:
        return json.loads(decoded.text), decoded.encoding
    except json.JSONDecodeError as error:
        expected = "valid JSON" if shape is None else f"valid JSON: {shape}"
        raise SourceFileError(path, f"line {error.lineno}, column {error.colno}", expected, error.msg) from error


def read_delimited(
    path: Path,
    *,
    separator: str = ",",
    expected_columns: list[str] | None = None,
    column_names: list[str] | None = None,
    strip_header: bool = True,
) -> tuple[pd.DataFrame, str]:
    """Read a delimited text file into a frame of strings, with provenance columns.

    ``expected_columns``: header names that must be present (checked after stripping spaces).
    ``column_names``: for files without a header row, the names to give the columns, in order.
    Empty cells become missing values. Returns the frame and the detected encoding.
    """
    decoded = decode(path)
    if not decoded.text.strip():
        raise SourceFileError(
            path, "file", "a header row and records", f"an empty file ({len(decoded.text)} characters)"
        )
    has_header = column_names is None
    note_records(
        path,
        count_delimited_records(decoded.text, separator, has_header=has_header),
        "delimited records (csv module), blank lines included",
    )
    try:
        # Blank lines stay as empty rows: apply_schema quarantines them, so nothing is skipped silently.
        frame = pd.read_csv(
            io.StringIO(decoded.text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            header=0 if has_header else None,
            names=column_names,
            quoting=csv.QUOTE_MINIMAL,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise SourceFileError(path, "CSV structure", f"{separator!r}-separated text", str(error)) from error
    if strip_header:
        frame.columns = [str(column).strip() for column in frame.columns]
    if expected_columns:
        missing = [column for column in expected_columns if column not in frame.columns]
        if missing:
            raise SourceFileError(
                path,
                "header",
                f"columns {missing}",
                f"columns {list(frame.columns)}",
            )
    return with_provenance(frame, path), decoded.encoding


def snapshot_file(snapshot_dir: Path, folder: str, name: str) -> Path:
    """The bundled file ``folder/name``, plain or gzipped (``name.gz``)."""
    for candidate in (snapshot_dir / folder / name, snapshot_dir / folder / f"{name}.gz"):
        if candidate.exists():
            return candidate
    raise SourceFileError(snapshot_dir / folder / name, "file", "a bundled file (plain or .gz)", "nothing")


def newest_file(snapshot_dir: Path, folder: str, pattern: str) -> Path:
    """The last (by name) file of ``folder`` matching ``pattern``: the newest edition when the
    publisher puts a year or version in the name (``Base_open_data_BMO_2025.xlsx``, ``_v461_``),
    so that a downloaded edition is read without a code change."""
    return snapshot_files(snapshot_dir, folder, pattern)[-1]


def snapshot_files(snapshot_dir: Path, folder: str, pattern: str, *, required: bool = True) -> list[Path]:
    """Bundled files of ``folder`` whose name (without .gz) matches ``pattern``, sorted; none is
    an error unless ``required`` is false."""
    found = sorted(
        path
        for path in (snapshot_dir / folder).glob("*")
        if path.is_file() and Path(path.name.removesuffix(".gz")).match(pattern)
    )
    if not found and required:
        raise SourceFileError(
            snapshot_dir / folder / pattern, "files", f"at least one file matching {pattern!r}", "none"
        )
    return found
