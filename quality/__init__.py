"""Data quality suites (Great Expectations 1.x) for the raw zone and the published marts; no Dagster."""
