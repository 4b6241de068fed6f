# Two commands set everything up on a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

export CHROMIUM_PATH ?= /usr/bin/chromium
TEST_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gcm_portal} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	SECRET_KEY=test-secret-key-not-for-production-0123456789-abcdefghijklmnop DEBUG=false \
	ALLOWED_HOSTS=127.0.0.1,localhost,testserver SECURE_SSL_REDIRECT=false \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false \
	STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage
DEMO_ENV := DEBUG=true DATABASE_URL= REDIS_URL= STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: demo test bench bench-registration bench-reports venv deps dev-deps system-deps pdf-system-deps messages lint format check-services clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements/base.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-deps: requirements/dev.txt $(VENV)/.deps
	$(PIP) install --quiet -r requirements/base.txt -r requirements/dev.txt
	touch $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Debian packages, installed only when missing: Pango and the Noto fonts for WeasyPrint (the demo renders PDFs
# too), then for the tests Chromium for the browser tests, gettext for the catalogues, poppler for reading PDFs
# back and wrk for `make bench`.
PDF_PACKAGES := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(PDF_PACKAGES) chromium gettext poppler-utils wrk
define install_missing
	@missing=""; \
	for pkg in $(1); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:
	$(call install_missing,$(TEST_PACKAGES))

pdf-system-deps:
	$(call install_missing,$(PDF_PACKAGES))

messages: dev-deps
	DEBUG=true $(PY) manage.py makemessages -l ar -l fr --no-location --no-obsolete -i .venv -i var -i staticfiles -i test-artifacts
	DEBUG=true $(PY) manage.py compilemessages -i .venv

demo: deps pdf-system-deps
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(PY) manage.py load_demo
	$(DEMO_ENV) $(PY) manage.py ensure_demo_admin
	@echo "Serving on http://$(HOST):$(PORT)/ — Ctrl-C to stop."
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

check-services:
	@$(TEST_ENV) $(PY) -m gcm_portal.check_services

test: dev-deps system-deps
	@$(TEST_ENV) $(PY) -m gcm_portal.check_services
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

bench: dev-deps system-deps
	$(TEST_ENV) $(PY) -m bench.run_all

bench-registration: dev-deps
	$(TEST_ENV) $(PY) -m bench.registration_race

bench-reports: dev-deps system-deps
	$(TEST_ENV) $(PY) -m bench.reports

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles var/demo.sqlite3
