# passerelle: `make run` builds everything on the bundled snapshot; `make test` runs every test;
# `make test-fast` the unit and integration tests that need no build; `make lint` the linters.
# Each target creates .venv and installs the project when missing.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

export PASSERELLE_DATA_DIR ?= $(CURDIR)/data
export DAGSTER_HOME ?= $(PASSERELLE_DATA_DIR)/dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export GX_ANALYTICS_ENABLED := false
# Runs over a range of offer days record one planned event, not one per day (the webserver and
# daemon create runs too, so this is set here as well as in orchestration/settings.py).
export DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS := true
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install manifest instance run test test-fast lint dev docs bench validate clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# dagster-dbt reads dbt_project/target/manifest.json when the definitions are imported.
manifest: install
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

# The Dagster instance (orchestration/run_history.py), rewritten every time: it names its folder
# by absolute path, and the data directory may have moved.
instance: install
	$(BIN)/python -m orchestration.run_history $(DAGSTER_HOME)

run: manifest instance
	$(BIN)/passerelle run

# Every test: the end-to-end ones share one build of the pipeline per session (tests/conftest.py).
test: manifest
	$(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder

# The inner loop: no pipeline build, no extractor fit, no Dagster subprocess (markers e2e, slow).
test-fast: manifest
	$(BIN)/python -m pytest -n 2 -m "not e2e and not slow" tests/unit tests/integration

# Python (ruff: rules and formatting) and the dbt models' SQL (sqlfluff, DuckDB dialect).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd dbt_project && ../$(BIN)/sqlfluff lint models --processes 2

validate: manifest instance
	$(BIN)/dagster definitions validate -w workspace.yaml

# Webserver and daemon (so that the nightly_refresh schedule runs), on loopback.
dev: manifest instance
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

# The dbt docs site that `make run` publishes (asset published/dbt_docs), on loopback.
docs:
	test -f $(PASSERELLE_DATA_DIR)/published/docs/index.html || $(MAKE) run
	$(BIN)/python -m http.server 8080 --bind 127.0.0.1 --directory $(PASSERELLE_DATA_DIR)/published/docs

# Benchmarks, never part of `make test`: extractor throughput, match scoring at 1x and 10x (both
# read the inputs of a built warehouse: `make run` first when there is none), then the whole
# pipeline on generated offers at each of BENCH_SIZES (bench/RESULTS.md).
BENCH_SIZES ?= 10000 100000 1000000
bench: manifest
	test -f $(PASSERELLE_DATA_DIR)/warehouse.duckdb || $(MAKE) run
	$(BIN)/python -m bench --warehouse $(PASSERELLE_DATA_DIR)/warehouse.duckdb
	$(BIN)/python -m bench.matching --warehouse $(PASSERELLE_DATA_DIR)/warehouse.duckdb
	$(BIN)/python -m bench.pipeline --sizes $(BENCH_SIZES)

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs data
