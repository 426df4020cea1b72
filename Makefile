# `make run` serves the demo practice; `make test` runs lint, the catalogue check and every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint bench load catalogues translations clean browser-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres]'
	touch $(STAMP)

catalogues: $(STAMP)
	$(FLASK) i18n compile

run: catalogues
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo "Serving on http://127.0.0.1:$(PORT)  (staff: http://127.0.0.1:$(PORT)/staff/login)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Chromium, and fonts for every script the catalogues use (without them Chinese, Korean,
# Arabic, Persian and Urdu render as empty boxes; Urdu wants its Nastaliq face): each
# installed when it is missing, whether or not the others are.
browser-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="chromium"; \
	fc-list ':lang=zh-cn' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	fc-list ':lang=zh-tw' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	fc-list ':lang=ar' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-core"; \
	fc-list 'Noto Nastaliq Urdu' 2>/dev/null | grep -q . || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages:$$missing (install them as root)." >&2; exit 1; fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check intake tests bench wsgi.py

test: catalogues browser-deps lint
	$(FLASK) i18n check
	$(BIN)/pytest

# The same functional and unit tests on PostgreSQL (a local server is started for them).
test-postgres: catalogues
	INTAKE_TEST_POSTGRES=$$(scripts/postgres-for-tests) $(BIN)/pytest -p no:cacheprovider tests/functional tests/unit

bench: catalogues
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; }
	$(BIN)/python -m bench.fhir
	$(BIN)/python -m bench.run

# 20 simulated tablets fill complete check-ins against gunicorn (deploy/gunicorn.conf.py);
# fails on any lost or duplicated answer. LOAD_DATABASE=postgres runs it on PostgreSQL.
load: catalogues
	$(BIN)/python -m bench.load

# Re-extract the strings and update every catalogue (then translate and `make test`).
translations: $(STAMP)
	$(FLASK) i18n extract
	$(FLASK) i18n update

clean:
	rm -rf $(VENV) instance/intake.sqlite* .pytest_cache test-artifacts
