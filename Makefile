# Two commands on a fresh machine: `make run` (set up, then chat on the embedded SQLite database)
# and `make test` (set up, then lint, type-check, run every test on SQLite and PostgreSQL, and install the
# built wheel into a fresh virtualenv to check it answers in Chinese).
# Versions come from constraints.txt (a lock made by `uv pip compile`); `make lock` refreshes it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KEYWORDS := -k N_ -k t -k gettext -k reply -k ngettext:1,2 -k DomainError -k IllegalTransition -k NotFound \
	-k PermissionDenied -k ValidationFailed

.PHONY: setup run test lint typecheck unit wheel-check lock lock-upgrade messages clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	@bash scripts/system-deps.sh
	@touch $(STAMP)

run: setup
	$(BIN)/nocert chat

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy bot handlers nocert_core
	$(BIN)/mypy --strict nocert_core

# Skipped tests are listed with their reason (-rs). Two workers, one test file per worker at a time (module fixtures stay together); every test owns its
# databases and Redis key prefix, so workers do not meet. PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
test: lint
	NOCERT_REQUIRE_BROWSER=1 $(BIN)/pytest -q -rs -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile
	$(MAKE) wheel-check

unit: setup
	$(BIN)/pytest -q tests/unit

# The way users install: a wheel in a fresh virtualenv, run from outside the checkout.
wheel-check: setup
	bash scripts/wheel_smoke.sh $(BIN)/python

# Refresh the lock: `make lock` adds what pyproject.toml newly asks for and keeps every other pin;
# `make lock-upgrade` moves every pin to the newest allowed version. Commit constraints.txt.
lock: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet \
		--custom-compile-command "make lock" -o constraints.txt

lock-upgrade: setup
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet --upgrade \
		--custom-compile-command "make lock" -o constraints.txt

# The message template: every msgid in the code, extracted by Babel (translations live in
# locales/<locale>/LC_MESSAGES/<feature>.po; tests/unit/platform/test_locales.py lists what is missing).
messages: setup
	$(BIN)/pybabel -q extract --sort-by-file --no-wrap $(KEYWORDS) --project nocert \
		-o locales/nocert.pot bot handlers nocert_core

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
