# Hodie: `make run` serves the demo site on http://127.0.0.1:8000; `make test` runs lint and the suite.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
export HODIE_HOME ?= $(CURDIR)/var
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install run test test-sqlite test-postgres lint format bench screenshots clean

$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/hodie migrate
	$(BIN)/hodie demo
	$(BIN)/hodie serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check hodie tests bench
	$(BIN)/ruff format --check hodie tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format hodie tests bench
	$(BIN)/ruff check --fix hodie tests bench

test: lint test-sqlite test-postgres

test-sqlite: install
	HODIE_DATABASE_URL= $(BIN)/pytest

# Runs when PostgreSQL answers (always in CI, where HODIE_REQUIRE_POSTGRES=1 makes its absence an error).
test-postgres: install
	@if $(BIN)/python -c "import psycopg,os; psycopg.connect(os.environ.get('HODIE_TEST_POSTGRES','$(PG_URL)'), connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL reachable: running the suite against it"; \
		HODIE_DATABASE_URL=$${HODIE_TEST_POSTGRES:-$(PG_URL)} $(BIN)/pytest -m "not browser"; \
	elif [ -n "$$HODIE_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (HODIE_REQUIRE_POSTGRES) but not reachable at $${HODIE_TEST_POSTGRES:-$(PG_URL)}"; exit 1; \
	else echo "PostgreSQL not reachable at $${HODIE_TEST_POSTGRES:-$(PG_URL)}: skipping the PostgreSQL run"; fi

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
