# Everything a fresh clone needs: `make serve` to read the site, `make test` to check it.
VENV    := .venv
PY      := $(VENV)/bin/python
MKDOCS  := $(VENV)/bin/mkdocs
STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST    ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup ingest site serve test lint check browser fuzz bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# KaTeX renders formulas at build time; its CSS and fonts are copied into site/ from here.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# --cache: when neither the feeds, taxonomy, titles, code nor docs/ changed since the last
# run, the ingest is skipped (about 1 s instead of 20 s at 100,000 entries); see ingest/pipeline/runcache.py.
ingest: setup
	$(PY) -m ingest run --report build/ingest-report.json --cache build/ingest-cache.json

# Speed and size at scale (issue 6): prints a table of figures against the targets.
bench: setup
	$(PY) scripts/bench.py --json build/bench.json

site: ingest
	$(MKDOCS) build --strict

serve: site
	$(MKDOCS) serve --strict --dev-addr $(HOST)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

lint: setup
	$(VENV)/bin/ruff check ingest tests scripts

# Articles, taxonomy.yml and titles.yml, as a pull request is checked (CONTRIBUTING.md).
check: setup
	$(PY) -m ingest check

test: setup browser lint check
	$(PY) -m pytest -q

# Coverage-guided fuzzing of the feed parser (atheris); `make fuzz FUZZ_SECONDS=3600` for longer.
# Inputs worth keeping accumulate in build/fuzz-corpus; a crash is saved as ./crash-<sha1>.
FUZZ_SECONDS ?= 300
fuzz: setup
	mkdir -p build/fuzz-corpus
	$(PY) tests/fuzz/fuzz_parse.py build/fuzz-corpus feeds -max_total_time=$(FUZZ_SECONDS) -max_len=65536

clean:
	rm -rf site build $(VENV) node_modules .pytest_cache .hypothesis
