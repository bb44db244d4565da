"""Reading source files: transparent gzip, encoding detection, delimited text to string frames.

Every reader returns strings only; typing happens in :mod:`ingestion.casting`, where a value that
does not fit its column goes to quarantine instead of stopping the source.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import lzma
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

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
    return hashlib.sha256(path.read_bytes()).hexdigest()


def decode(path: Path, data: bytes | None = None) -> DecodedText:
    """Decode as UTF-8 (BOM stripped) or, failing that, as cp1252; say which.

    Files published as "Latin-1" really are cp1252 (they hold 0x92 for the apostrophe); a file that
    is neither is rejected, with the offset of the first byte that fits neither encoding.
    """
    raw = read_bytes(path) if data is None else data
    try:
        return DecodedText(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        undefined = next((i for i, byte in enumerate(raw) if byte in _CP1252_UNDEFINED), None)
        if undefined is not None:
            raise SourceFileError(
                path,
                f"byte offset {undefined}",
                "UTF-8 or cp1252 (Windows Latin-1) text",
                f"byte 0x{raw[undefined]:02X}, undefined in cp1252; UTF-8 failed at offset "
                f"{utf8_error.start}",
            ) from utf8_error
        return DecodedText(raw.decode("cp1252"), "cp1252")


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
    has_header = column_names is None
    try:
        frame = pd.read_csv(
            io.StringIO(decoded.text),
            sep=separator,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            header=0 if has_header else None,
            names=column_names,
            quoting=csv.QUOTE_MINIMAL,
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


def snapshot_files(snapshot_dir: Path, folder: str, pattern: str) -> list[Path]:
    """Bundled files of ``folder`` whose name (without .gz) matches ``pattern``, sorted."""
    found = sorted(
        path
        for path in (snapshot_dir / folder).glob("*")
        if path.is_file() and Path(path.name.removesuffix(".gz")).match(pattern)
    )
    if not found:
        raise SourceFileError(snapshot_dir / folder / pattern, "files", f"at least one file matching {pattern!r}", "none")
    return found
