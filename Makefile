# The two commands of the README: `make run` and `make test`. Everything else is a step they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install build validate run test lint bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# JavaScript parts (the SPARQL editor and Comunica for the client tests), from the npm registry.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the query editor falls back to a plain text area and Comunica tests are skipped"; fi

validate: $(VENV)/.installed
	$(BIN)/tradelod validate

build: install
	$(BIN)/tradelod build

run: build
	$(BIN)/tradelod serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check server tests bench
	$(BIN)/python -m pytest -q -ra

bench: build
	$(BIN)/python bench/run.py

clean:
	rm -rf build $(VENV) node_modules
