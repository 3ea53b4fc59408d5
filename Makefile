# The commands a person types. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-pg lint bench loadtest translations extract clean install e2e-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

# Every domain of every language (docs/i18n.md): messages (web pages), report (reports, CLI, errors).
DOMAINS := messages report
translations: $(STAMP)
	@if [ -d assessment/translations ]; then $(BIN)/pybabel -q compile -d assessment/translations -D "$(DOMAINS)"; fi

# The templates (.pot) of both domains from the source; then `pybabel update` (docs/i18n.md).
extract: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o assessment/translations/messages.pot .
	$(BIN)/pybabel -q extract -F babel.cfg --no-default-keywords -k M_ -k C_:1c,2 \
		-k plural_text:2,3 -c Translators: --sort-by-file -o assessment/translations/report.pot .

# Plain HTTP on this machine: the session cookie cannot be Secure-only here (it is elsewhere).
run: install
	SESSION_COOKIE_SECURE=0 $(BIN)/python -m assessment.devserver --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

test-pg: install
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest -m "not e2e"

lint: install
	$(BIN)/ruff check assessment tests bench
	$(BIN)/ruff format --check assessment tests bench migrations wsgi.py
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench

loadtest: install
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
