# The two commands of the README: `make run` and `make test`. Everything else is a step they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install catalogs translations build validate run test lint bench clean

install: $(VENV)/.installed node_modules/.installed catalogs

# The interface's gettext catalogs: the .po files are the sources (committed), the .mo files are built.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard server/tradelod/web/translations/*/LC_MESSAGES/messages.po))
catalogs: $(CATALOGS)

server/tradelod/web/translations/%/LC_MESSAGES/messages.mo: server/tradelod/web/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -d server/tradelod/web/translations -l $* --statistics

# After changing the interface's text: extract the messages and merge them into each catalog.
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F server/tradelod/web/translations/babel.cfg -k _ -k gettext -k ngettext:1,2 \
	  -k pgettext:1c,2 --no-location --sort-output --project tradelod -o server/tradelod/web/translations/messages.pot .
	$(BIN)/pybabel update -d server/tradelod/web/translations -i server/tradelod/web/translations/messages.pot \
	  --width 110 --ignore-obsolete
	rm server/tradelod/web/translations/messages.pot

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# JavaScript parts (Comunica, the SPARQL client the endpoint tests run with node), from the npm registry.
# package.json pins undici 7 under Comunica's fetch actor: undici 8 needs node >= 22.19 (Debian has 20).
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the Comunica client tests will be skipped (they print why)"; fi

validate: $(VENV)/.installed
	$(BIN)/tradelod validate

# What a release is made of: the sources, the package code that builds it, the installed dependencies.
# `make run` rebuilds only when one of them is newer than the last successful build (build/.built).
SOURCES := $(shell find ontology shapes data server/tradelod -type f -not -name '*.pyc' -not -path '*/__pycache__/*' 2>/dev/null)

build: build/.built

build/.built: $(SOURCES) $(VENV)/.installed $(CATALOGS)
	$(BIN)/tradelod build
	touch $@

run: build
	$(BIN)/tradelod serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -ra

# The benchmark (bench/README.md): SIZE=10k|100k|1m|10m, under the machine's timing lock.
SIZE ?= 100k
bench: install
	flock /tmp/tradelod-timing.lock $(BIN)/python bench/run.py --size $(SIZE)

clean:
	rm -rf build $(VENV) node_modules
