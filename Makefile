# Hodie: `make run` serves the demo site on http://127.0.0.1:8000 (`make run PORT=8101` for another
# port); `make test` runs lint and the everyday suite on SQLite (about 4 minutes on 2 cores);
# `make test-postgres` the same suite on PostgreSQL; `make test-all` runs everything on both, as CI does.
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
BIN := $(VENV)/bin
export HODIE_HOME ?= $(CURDIR)/var
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install install-dev run test test-all test-sqlite test-postgres test-sqlite-all test-postgres-all lint format bench screenshots clean

# What the site needs, for `make run`; the development tools (pytest, playwright, mypy...) only for
# `make test` and the other targets that use them.
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

install-dev: $(BIN)/.installed-dev

run: install
	$(BIN)/hodie migrate
	$(BIN)/hodie demo
	$(BIN)/hodie serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check hodie tests bench
	$(BIN)/ruff format --check hodie tests bench
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format hodie tests bench
	$(BIN)/ruff check --fix hodie tests bench

# The everyday suite leaves out the third-party corpora (`shared`) and the long runs (`slow`: full
# browser runs, load and crash runs); `make test-all` runs them too. PostgreSQL runs skip `browser`.
EVERYDAY := not shared and not slow
# pytest-xdist: a file's tests kept on one worker (several modules share a Redis database number or
# a server among their tests); one worker more than the cores, since many tests wait on a subprocess
# or a socket (make test: 4 min 23 s with 3 workers on 2 cores, 5 min 14 s with 2, at 1,093 tests). The `slow` runs
# (load, crash, timing) run after, in one process, so that no other test's work delays what they time.
# Files are handed out in the order tests/conftest.py collects them (no reordering by size), so the
# corpora's browser runs, the longest, start first. `make test PYTEST_WORKERS=0` runs in one process,
# for a debugger.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: lint test-sqlite

test-all: lint test-sqlite-all test-postgres-all

test-sqlite: install-dev
	HODIE_DATABASE_URL= $(PYTEST) -m "$(EVERYDAY)"

test-sqlite-all: install-dev
	HODIE_DATABASE_URL= $(PYTEST) -m "not slow"
	HODIE_DATABASE_URL= $(BIN)/pytest -m slow

test-postgres: install-dev
	$(call postgres,not browser and $(EVERYDAY),)

test-postgres-all: install-dev
	$(call postgres,not browser and not slow,not browser and slow)

# Runs the suite (markers $(1) in parallel, then $(2) in one process, if given) when PostgreSQL
# answers (always in CI, where HODIE_REQUIRE_POSTGRES=1 makes its absence an error).
define postgres
	@if $(BIN)/python -c "import psycopg,os; psycopg.connect(os.environ.get('HODIE_TEST_POSTGRES','$(PG_URL)'), connect_timeout=3).close()" 2>/dev/null; then \
		echo "PostgreSQL reachable: running the suite against it"; \
		HODIE_DATABASE_URL=$${HODIE_TEST_POSTGRES:-$(PG_URL)} $(PYTEST) -m "$(1)" && \
		if [ -n "$(2)" ]; then HODIE_DATABASE_URL=$${HODIE_TEST_POSTGRES:-$(PG_URL)} $(BIN)/pytest -m "$(2)"; fi; \
	elif [ -n "$$HODIE_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL is required (HODIE_REQUIRE_POSTGRES) but not reachable at $${HODIE_TEST_POSTGRES:-$(PG_URL)}"; exit 1; \
	else echo "PostgreSQL not reachable at $${HODIE_TEST_POSTGRES:-$(PG_URL)}: skipping the PostgreSQL run"; fi
endef

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
