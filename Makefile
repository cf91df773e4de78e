# 商机管控 — the two commands that matter: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= sjgk-demo-2026
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test check static lint types imports format demo system-deps pg-start pg-stop bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

## run: install, generate demo data if the warehouse is empty, serve on localhost:8501
run: $(VENV)/.runtime
	$(BIN)/python -m analytics demo --if-empty --demo-password "$(DEMO_PASSWORD)"
	@echo "Demo password for every demo user above: $(DEMO_PASSWORD)"
	$(BIN)/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

## demo: regenerate the demo data (replaces everything in the warehouse)
demo: $(VENV)/.runtime
	$(BIN)/python -m analytics demo --demo-password "$(DEMO_PASSWORD)"

## test: install test needs (pip + apt), start a throwaway PostgreSQL, run every test:
## first all but the browser tests, TEST_WORKERS test modules at a time (pytest-xdist,
## one module per worker: module fixtures stay whole), then the browser tests alone, so
## their time-to-settle budgets are measured on a machine not also running other tests.
## A part that selects nothing (pytest's exit 5: PYTEST_ARGS named only the other kind) is fine;
## both selecting nothing is not
TEST_WORKERS ?= 2
test: $(VENV)/.dev system-deps
	@PG_URL=$$(scripts/pg_test_server.sh start) || exit 1; \
	SJGK_TEST_PG_URL=$$PG_URL $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile \
		-m "not browser" $(PYTEST_ARGS); first=$$?; \
	SJGK_TEST_PG_URL=$$PG_URL $(BIN)/python -m pytest -m browser $(PYTEST_ARGS); second=$$?; \
	for s in $$first $$second; do [ $$s -eq 0 ] || [ $$s -eq 5 ] || exit 1; done; \
	[ $$first -eq 0 ] || [ $$second -eq 0 ]

system-deps:
	scripts/install_system_deps.sh

pg-start:
	scripts/pg_test_server.sh start

pg-stop:
	scripts/pg_test_server.sh stop

## check: format check, lint, types, the import contract, then the tests
check: static test

## static: what needs no database: format check, lint, types (mypy), the import contract
static: lint types imports

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

## types: mypy on analytics/ (configured in pyproject.toml)
types: $(VENV)/.dev
	$(BIN)/mypy

## imports: the layers of ARCHITECTURE.md (import-linter contracts in pyproject.toml)
imports: $(VENV)/.dev
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: the benchmark table of issue 19 at BENCH_SCALE (50 = 1 M opportunities; not part of the test run)
BENCH_SCALE ?= 50
bench: $(VENV)/.dev
	$(BIN)/python benchmarks/bench_all.py --scale $(BENCH_SCALE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
