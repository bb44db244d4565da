"""Plain-Python matching: text normalisation, skill extraction, match scoring (no Dagster import)."""
