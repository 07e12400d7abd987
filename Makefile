# Mosty: `make demo` runs the demo, `make test` runs the whole suite. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Mosty needs Python 3.11 or newer" or 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/python -m mosty.tools.compile_messages

demo: install
	$(BIN)/mosty demo $(if $(PORT),--port $(PORT),)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check mosty tests benchmarks
	$(BIN)/ruff format --check mosty tests benchmarks

messages: install
	cd mosty && ../$(BIN)/mosty makemessages $(foreach l,pl en uk ru ar fa fr,-l $(l)) --no-obsolete --ignore 'static/*'

clean:
	rm -rf $(VENV) var
