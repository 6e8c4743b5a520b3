# Fonden: `make run` to try it, `make test` to test it. Both work on a fresh Debian machine with
# Python 3.11 and nothing running (SQLite and in-process tasks by default).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run install test test-fast test-browser lint format check-migrations system-packages browser-packages messages clean

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	@echo
	@echo "Fonden: http://$(HOST):$(PORT)/  (hälsa: http://$(HOST):$(PORT)/healthz)"
	$(PY) manage.py runserver $(HOST):$(PORT)

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock
	@command -v python3.11 >/dev/null || command -v python3 >/dev/null || { echo "Python 3.11 krävs"; exit 1; }
	@[ -x $(PY) ] || python3 -m venv $(VENV) || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# What WeasyPrint and the browser tests need from Debian (fonts, pango, chromium, pdftotext).
system-packages:
	@missing=""; \
	for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 poppler-utils chromium; do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

# The whole suite: the unit and integration tests on two cores, then the browser tests, also on
# two cores (a Chromium and a live server per worker: the per-municipality walks are long).
# DATABASE_URL=postgres://... runs it against PostgreSQL.
test: install system-packages
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 -m "not browser"
	DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n 2 -m browser

test-fast: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n 2 -m "not browser"

test-browser: install system-packages
	DJANGO_SETTINGS_MODULE=config.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n 2 -m browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 test-artifacts
