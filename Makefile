# Two commands set everything up on a fresh machine: `make pdf` and `make test`.
# Each target creates .venv when it is missing or older than pyproject.toml or
# constraints.txt (the tested versions, so outputs are the same bytes everywhere).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Bytecode written ahead, as a regular install does: with an editable install
# under PYTHONDONTWRITEBYTECODE every run would compile the package again
# (about 50 ms a process).  Remade whenever a module is newer than it.
BYTECODE := $(VENV)/.bytecode
PY_SOURCES := $(shell find src -name '*.py')
SOURCE ?= source/article.md
OUT ?= build
RENDER = $(BIN)/briefexport render $(SOURCE) --output-dir $(OUT)

.PHONY: pdf docx onepager all test bench fuzz golden wheel-check clean

pdf: $(STAMP) $(BYTECODE)
	$(RENDER) --format pdf

docx: $(STAMP) $(BYTECODE)
	$(RENDER) --format docx

onepager: $(STAMP) $(BYTECODE)
	$(RENDER) --format onepager

all: $(STAMP) $(BYTECODE)
	$(RENDER) --format all

test: $(STAMP) $(BYTECODE)
	$(BIN)/python -m pytest

bench: $(STAMP) $(BYTECODE)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/sizes.py

# The hostile-source generator of tests/test_hostile.py, run longer than in `make test`.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	BRIEFEXPORT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_hostile.py -q -k generated

# Re-record the golden output digests after a deliberate change of output.
golden: $(STAMP)
	$(BIN)/python tests/goldens.py

# The wheel as a user gets it: built from this tree, installed alone in a fresh
# virtual environment, rendering the article in every format from there.
WHEEL_DIR := $(OUT)/wheel
wheel-check: $(STAMP)
	rm -rf $(WHEEL_DIR)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEEL_DIR)/dist .
	$(PYTHON) -m venv $(WHEEL_DIR)/venv
	$(WHEEL_DIR)/venv/bin/python -m pip install --quiet -c constraints.txt $(WHEEL_DIR)/dist/*.whl
	cd $(WHEEL_DIR) && venv/bin/briefexport render ../../$(SOURCE) --format all --output-dir out
	cd $(WHEEL_DIR) && venv/bin/briefexport formats

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

$(BYTECODE): $(STAMP) $(PY_SOURCES)
	$(BIN)/python -m compileall -q src
	touch $(BYTECODE)

clean:
	rm -rf $(OUT) .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
