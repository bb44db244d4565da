"""Plain-Python ingestion of passerelle's sources into the raw zone (no Dagster import)."""
