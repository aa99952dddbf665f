# Everything a fresh clone needs: `make serve` to read the site, `make test` to check it.
VENV    := .venv
PY      := $(VENV)/bin/python
MKDOCS  := $(VENV)/bin/mkdocs
STAMP   := $(VENV)/.installed
HOST    ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup ingest site serve test lint browser clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

ingest: setup
	$(PY) -m ingest run --report build/ingest-report.json

site: ingest
	$(MKDOCS) build --strict

serve: site
	$(MKDOCS) serve --strict --dev-addr $(HOST)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

lint: setup
	$(VENV)/bin/ruff check ingest tests scripts

test: setup browser lint
	$(PY) -m pytest -q

clean:
	rm -rf site build $(VENV) .pytest_cache .hypothesis
