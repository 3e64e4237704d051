# kepu: two commands on a fresh machine — `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kepu-installed
KEPU_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
export KEPU_TEST_POSTGRES_URL

.PHONY: help install run test lint typecheck test-sqlite test-postgres browser-deps messages clean

help:
	@echo "make run    create .venv, install, migrate, load the demo when the database is empty, serve on http://127.0.0.1:8000"
	@echo "make test   ruff, mypy, and the test suite on SQLite and on PostgreSQL"

$(STAMP): pyproject.toml package.json package-lock.json scripts/vendor_assets.py
	@PY=$$(scripts/find-python) && echo "Using $$PY" && ( [ -x $(BIN)/python ] || $$PY -m venv $(VENV) )
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python scripts/vendor_assets.py
	@touch $(STAMP)

install: $(STAMP)

run: install
	KEPU_ENV=development $(BIN)/kepu migrate --no-input
	KEPU_ENV=development $(BIN)/kepu demo --if-empty
	KEPU_ENV=development $(BIN)/kepu runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

typecheck: install
	$(BIN)/mypy

# Debian's chromium, CJK fonts (screenshots and PDFs show Chinese) and Pango (WeasyPrint renders PDFs).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh | grep -q . || ! ldconfig -p | grep -q libpangoft2; then \
	  echo "Installing Debian's chromium and CJK fonts for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0; \
	fi

test-sqlite: install browser-deps
	$(BIN)/pytest -p no:cacheprovider

test-postgres: install browser-deps
	@if $(BIN)/python scripts/postgres_reachable.py "$$KEPU_TEST_POSTGRES_URL"; then \
	  KEPU_TEST_DATABASE_URL="$$KEPU_TEST_POSTGRES_URL" $(BIN)/pytest -p no:cacheprovider; \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL at $$KEPU_TEST_POSTGRES_URL is unreachable, and CI=true makes that a failure."; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL at $$KEPU_TEST_POSTGRES_URL is unreachable; the suite ran on SQLite only."; \
	fi

test: lint typecheck test-sqlite test-postgres

# Translators: refresh the catalogues after changing user-facing strings.
messages: install
	cd src/kepu && ../../$(BIN)/kepu makemessages --locale zh_Hans --locale en --no-obsolete --no-location --ignore 'static/*'
	cd src/kepu && ../../$(BIN)/kepu compilemessages

clean:
	rm -rf $(VENV) node_modules src/kepu/static/vendor
