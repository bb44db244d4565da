"""Errors raised when a source file does not have the shape its parser expects."""

from __future__ import annotations

from pathlib import Path


class SourceFileError(ValueError):
    """A source file cannot be parsed: names the file, where, and what was expected."""

    def __init__(self, file: Path | str, location: str, expected: str, found: str | None = None):
        self.file = Path(file)
        self.location = location
        self.expected = expected
        self.found = found
        message = f"{self.file}: {location}: expected {expected}"
        if found is not None:
            message += f", found {found}"
        super().__init__(message)
