# Two entry points: `make demo` runs the advisor on its bundled input, `make test` runs
# every check. Both create the virtual environment on first use.
PYTHON ?= $(shell command -v python3.12 || command -v python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/advisor stats

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
