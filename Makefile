# Two commands on a fresh machine: `make run` and `make test`. Everything installs into .venv
# and node_modules; nothing else needs to be running (SQLite and a file-system Celery broker are
# the defaults; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Two processes (the machine's cores); a test module that starts its own stack stays on one.
PYTEST_WORKERS ?= -n 2 --dist loadgroup

.PHONY: install run test lint format bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	bin/run-dev

test: install
	$(PY) manage.py check --settings=hmis_gov.settings.test
	$(PY) manage.py makemigrations --check --dry-run --settings=hmis_gov.settings.test
	$(VENV)/bin/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every benchmark (bench/README.md) at 20,000 and 200,000 clients on PostgreSQL, then
# docs/performance.md: import, data-quality scan, reports, load test, and the growth summary.
# Takes about two hours on the 2-core VM (two 200,000-client imports: the import benchmark's own
# and the shared database bench_200k the other benchmarks reuse while it is complete).
BENCH_SIZES ?= --clients 20000 --clients 200000
bench: install
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/import_bench.py $(BENCH_SIZES) --reuse --fresh --write-docs
	$(PY) bench/shared.py $(BENCH_SIZES)
	$(PY) bench/dq_bench.py $(BENCH_SIZES) --write-docs
	$(PY) bench/report_bench.py $(BENCH_SIZES) --write-docs
	$(PY) bench/load_bench.py $(BENCH_SIZES) --write-docs
	$(PY) bench/summary.py --write-docs

clean:
	rm -rf $(VENV) node_modules staticfiles var db.sqlite3
