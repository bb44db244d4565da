"""Placeholder: this source's parsers are being written (see the open issues)."""

from __future__ import annotations

from ingestion.tables import RawTable

TABLES: list[RawTable] = []
