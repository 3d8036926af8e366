# jobhelp. `make demo` and `make test` are the two commands in the README.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

help:
	@echo "make demo           install everything, load the demo county, serve http://127.0.0.1:8000"
	@echo "                    (make demo PORT=8300: another port; links in messages follow it)"
	@echo "make test           the whole test suite on SQLite"
	@echo "make test-postgres  the whole test suite on a throwaway PostgreSQL cluster"
	@echo "make test-browser   browser tests (Playwright + Debian Chromium + axe-core)"
	@echo "make lint           ruff, import contracts, migrations check, translations check"
	@echo "make fmt            format the code"
	@echo "make messages       update the translation catalogues"
	@echo "make bench          benchmarks (print ratios, never gate)"
	@echo "make bench-scale    the state-scale benchmark (300 organizations, up to 10M requests; hours, not CI)"
	@echo "make drills         fault and load drills on a throwaway PostgreSQL (fail when a claim does)"
	@echo "make backup         back up the database (DATABASE_URL) into var/backups/"
	@echo "make restore FILE=  restore a backup into the (empty) database at DATABASE_URL"

$(STAMP): requirements/dev.lock package-lock.json
	@scripts/check-python.sh $(PYTHON)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq --require-hashes -r requirements/dev.lock
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(STAMP)

install: $(STAMP)
	@mkdir -p var/static

# Text messages are printed by the worker like the emails (SMS_BACKEND, see .env.example).
DEMO_ENV := DEBUG=true JOBHELP_TWO_FACTOR_REQUIRED=false SMS_BACKEND=jobhelp.notifications.sms.ConsoleBackend SMS_FROM_NUMBER=+17635550100
# Where the demo serves; the links in its messages follow it (scripts/serve-demo.sh).
PORT ?= 8000

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEMO_ENV) JOBHELP_PUBLIC_BASE_URL="$${JOBHELP_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py seed_demo
	$(DEMO_ENV) PORT=$(PORT) scripts/serve-demo.sh

test: install
	scripts/test.sh

test-postgres: install
	scripts/with-postgres.sh scripts/test.sh

test-browser: install
	scripts/test.sh -m browser tests/browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-logo --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 0
	scripts/check-translations.sh

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	cd src/jobhelp && ../../$(PY) ../../manage.py makemessages -l es --no-obsolete --no-location --ignore=demo
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

bench: install
	scripts/bench.sh

bench-scale: install
	scripts/with-postgres.sh .venv/bin/python -m bench.scale

drills: install
	scripts/drills.sh

backup: install
	scripts/backup.sh

restore: install
	scripts/restore.sh "$(FILE)"

.PHONY: help install demo test test-postgres test-browser lint fmt messages bench bench-scale drills backup restore
