# Two commands: `make run` (the site, with the starter set) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# XStatic-Bootstrap ships only as an sdist whose setup needs pkg_resources (setuptools < 81).
PIP := PIP_CONSTRAINT=$(CURDIR)/$(VENV)/build-constraints.txt $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run serve test bench install install-dev lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	echo "setuptools<81" > $(VENV)/build-constraints.txt

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP) install -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Local settings for a laptop; settings.py reads .env, and it is never committed.
.env:
	printf '# Local development settings (git-ignored). See README for every variable.\nDJANGO_DEBUG=true\n' > $@

run: install .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_starter_set
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production settings: debug off whatever .env says; the database is DATABASE_URL's, the cache
# Redis when REDIS_URL is set; langtool/gunicorn_conf.py sizes the workers. See README, "Serving in production".
serve: export DJANGO_DEBUG = false
serve: install
	@$(BIN)/python manage.py shell --no-imports -c "import sys; from django.conf import settings; \
	settings.SECRET_KEY_FROM_ENVIRONMENT or sys.exit('make serve: set DJANGO_SECRET_KEY to a long random value first.')"
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/gunicorn --config langtool/gunicorn_conf.py --bind $(HOST):$(PORT) langtool.wsgi

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed figures in a separate benchmark database beside DATABASE_URL's (README, "Performance").
BENCH_ARGS ?= --entries 100000
bench: export DJANGO_DEBUG = false
bench: install
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py benchmark $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
