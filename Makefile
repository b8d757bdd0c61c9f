# The two commands: `make demo` (the main job) and `make test` (set up, lint, type-check, test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint typecheck pytest bench browser clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## browser: Debian's chromium for the Playwright tests (Playwright's own download cannot reach
## its host) and the openssl command line for the secure-payload interop tests
browser:
	@bash .ci/ensure-test-tools

demo: $(STAMP)
	$(PY) -m sblgen site build demo_site --out demo_site/_build
	@echo
	@echo "Open it:          $(PY) -m webbrowser file://$(CURDIR)/demo_site/_build/index.html"
	@echo "Offline preview:  $(PY) -m sblgen site serve demo_site/_build --offline   (then http://127.0.0.1:8000/)"

lint: $(STAMP)
	$(PY) -m ruff check sblgen tests bench
	$(PY) -m ruff format --check sblgen tests bench
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(PY) -m mypy

pytest: $(STAMP) browser
	$(PY) -m pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
