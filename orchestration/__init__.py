"""Dagster wiring for passerelle: assets, checks, schedules and resources. No business logic here."""
