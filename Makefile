# Mosty: `make demo` runs the demo, `make test` runs the whole suite. Both install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint lock upgrade messages clean

# Installs exactly what requirements-dev.lock names (versions and hashes), then Mosty itself
# without resolving anything again. `make lock` is the one deliberate way to move versions.
$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Mosty needs Python 3.11 or newer" or 0)'
	@echo "Installing Mosty and its $(shell grep -c '==' requirements-dev.lock) pinned packages into $(VENV):"
	@echo "2 to 3 minutes on a fresh machine (most of it downloading); each package is listed as it comes."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --progress-bar on --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Catalogues, then the CSS subset and icon sprite public pages load (mosty/tools/build_assets.py;
# offline: it reads the vendored Bootstrap files and the templates).
install: $(STAMP)
	$(BIN)/python -m mosty.tools.compile_messages
	$(BIN)/python -m mosty.tools.build_assets

demo: install
	$(BIN)/mosty demo $(if $(PORT),--port $(PORT),)

# One pytest worker per core (pytest-xdist; each worker has its own test database):
# `make test TEST_WORKERS=0` runs in one process, to read a failure's output in order.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# ruff (style), mypy (types: docs/developing.md says at what level), import contracts.
lint: install
	$(BIN)/ruff check mosty tests benchmarks
	$(BIN)/ruff format --check mosty tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# `make lock` after editing pyproject.toml: resolves what changed and keeps every other pin.
# `make upgrade`: moves every dependency to the newest version pyproject.toml allows.
# requirements.lock (what production installs) takes the same versions as requirements-dev.lock.
LOCK_ARGS := --universal --python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock"
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_ARGS) $(UPGRADE) -o requirements-dev.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) -c requirements-dev.lock -o requirements.lock

upgrade:
	$(MAKE) lock UPGRADE=--upgrade

# `make messages` updates every catalogue from the source (`make messages APP=people`: one app's),
# then says what is left to translate; docs/developing.md, "Translating".
messages: install
	$(BIN)/python -m mosty.tools.messages extract $(APP)
	$(BIN)/python -m mosty.tools.messages check

clean:
	rm -rf $(VENV) var
