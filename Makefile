# Podium: `make run` serves the app with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py
# pytest-xdist: one test process per core (at most 4), an idle one taking tests from a busy one.
PARALLEL := -n auto --maxprocesses=4 --dist worksteal

.PHONY: run test test-fast lint install install-dev requirements system-deps-run system-deps-test db demo serve worker bench vendor clean

run: system-deps-run install db demo  ## install everything, load demo data, serve on http://127.0.0.1:$(PORT)
	PORT=$(PORT) scripts/serve.sh

test: system-deps-test install-dev lint  ## install what the tests need, lint, and run them all (PostgreSQL and SQLite)
	$(BIN)/pytest $(PARALLEL) $(PYTEST_ARGS)

test-fast: system-deps-test install-dev lint  ## everything but the browser and worker tests, for quick local runs
	$(BIN)/pytest $(PARALLEL) -m "not browser and not worker" $(PYTEST_ARGS)

lint: install-dev  ## ruff, with the rules in pyproject.toml
	$(BIN)/ruff check .

install: $(VENV)/.app-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt $(VENV)/.app-installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

requirements:  ## recompile requirements*.txt (pinned, hash-checked) from requirements*.in with pip-tools
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --generate-hashes --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --generate-hashes --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

system-deps-run:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

db: install
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo

serve: install
	PORT=$(PORT) scripts/serve.sh

worker: install
	$(BIN)/celery -A app.jobs.worker worker --loglevel=INFO

vendor:  ## refresh the front-end libraries served from app/static/vendor (npm)
	npm ci --no-audit --no-fund
	cp node_modules/chart.js/dist/chart.umd.js app/static/vendor/chart.umd.js

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
