# Two entry points: `make demo` runs the advisor on its bundled input, `make test` runs
# every check. Both create the virtual environment on first use.
# The first interpreter that really runs and is 3.11 or 3.12 (a pyenv shim may exist
# for a version that is not active).
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	$$p -c 'import sys; assert (3, 11) <= sys.version_info[:2] < (3, 13)' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml setup.py
	@test -n "$(PYTHON)" || { echo "Python 3.11 or 3.12 is needed (durable_rules does not import on 3.13); set PYTHON=/path/to/python3.12"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/advisor diagnose

lint: $(STAMP)
	$(BIN)/ruff check advisor tests benchmarks
	$(BIN)/ruff format --check advisor tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy advisor

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/stats_throughput.py

clean:
	rm -rf $(VENV) build dist *.egg-info
