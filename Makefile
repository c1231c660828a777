# Two commands on a fresh machine: `make run` (set up, then chat on the embedded SQLite database)
# and `make test` (set up, then lint, type-check and run every test on SQLite and PostgreSQL).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint typecheck unit clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@bash scripts/system-deps.sh
	@touch $(STAMP)

run: setup
	$(BIN)/nocert chat

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy bot handlers nocert_core

test: lint
	$(BIN)/pytest -q -p no:cacheprovider

unit: setup
	$(BIN)/pytest -q tests/unit

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
