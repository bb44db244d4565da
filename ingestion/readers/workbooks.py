"""Reading XLSX sheets into frames of text, the same way for every source.

The cells are read by calamine (compiled; the BMO workbook's 53,444 rows in about 1 s, against 7 s
for openpyxl's read-only iteration); openpyxl, which reads only the workbook's sheet list and each
sheet's declared dimension in read-only mode, gives the sheet's extent, so that formatted-but-empty
rows at the end are counted and set aside as they always were."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import python_calamine
from openpyxl.utils.exceptions import InvalidFileException

from ingestion.accounting import note_records
from ingestion.errors import SourceFileError


def read_sheet_rows(
    path: Path, sheet: str | re.Pattern[str], *, header_rows: int = 1
) -> tuple[str, list[tuple[object, ...]]]:
    """The rows of one sheet, chosen by exact name or by a pattern exactly one sheet matches.

    A file that is not a workbook, or has no such sheet, raises an error naming the file. The
    sheet's records (its ``max_row``, from the workbook's own dimension, minus ``header_rows``)
    are noted for the row accounting.
    """
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SourceFileError(path, "workbook", "an XLSX workbook", f"{type(error).__name__}: {error}") from error
    try:
        if isinstance(sheet, str):
            names = [sheet] if sheet in workbook.sheetnames else []
            wanted = f"a sheet named {sheet!r}"
        else:
            names = [name for name in workbook.sheetnames if sheet.match(name)]
            wanted = f"exactly one sheet named like {sheet.pattern!r}"
        if len(names) != 1:
            raise SourceFileError(path, "sheets", wanted, f"sheets {workbook.sheetnames}")
        worksheet = workbook[names[0]]
        height, width = worksheet.max_row or 0, worksheet.max_column or 0
        note_records(
            path, max(height - header_rows, 0), f"sheet rows (openpyxl max_row) minus {header_rows} header row(s)"
        )
    finally:
        workbook.close()
    return names[0], _sheet_values(path, names[0], height, width)


def _sheet_values(path: Path, sheet: str, height: int, width: int) -> list[tuple[object, ...]]:
    """The cells of ``sheet`` as openpyxl's read-only rows give them: ``height`` rows of ``width``
    cells (the declared dimension), an empty cell None, a whole number an int."""
    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
            values = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as error:  # its ZipError and XmlError included
        raise SourceFileError(path, f"sheet {sheet!r}", "readable cells", f"{type(error).__name__}: {error}") from error
    width = max(width, len(values[0])) if values else width
    rows = [
        tuple(
            None if cell == "" else int(cell) if isinstance(cell, float) and cell.is_integer() else cell for cell in row
        )
        + (None,) * (width - len(row))
        for row in values
    ]
    return rows + [(None,) * width] * (height - len(rows))


def cells_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as the text a person reads in the sheet, column by column (vectorised).

    Integral numbers lose Excel's ``.0`` (bassin 4402, CFD 01022001 stays text), dates read
    ``DD/MM/YYYY``, empty cells stay missing.
    """

    def column_text(values: pd.Series) -> pd.Series:
        text = values.astype("string")
        text = text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)
        return text.str.replace(r"^(\d{4})-(\d{2})-(\d{2})( 00:00:00)?$", r"\3/\2/\1", regex=True)

    return frame.apply(column_text)
