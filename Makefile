# Set-up contract: on a fresh Debian machine `make demo` and `make test` do everything.
# Installs come from uv.lock (exact versions and hashes); `make lock` refreshes it.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
UV_VERSION := 0.13.9
UV      := .uv/bin/uv
# Bytecode compiled at install: a first `blueprint lint` must not pay for compiling its
# libraries (and PYTHONDONTWRITEBYTECODE would make every run pay).
UVENV   := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON=$(PYTHON) UV_NO_PROGRESS=1 UV_COMPILE_BYTECODE=1
SYNC    := $(UVENV) $(UV) sync --locked --quiet
RUNTIME := $(VENV)/.runtime
DEV     := $(VENV)/.dev

.PHONY: demo test clients chromium lint-code test-oldest test-latest lock fuzz bench graphviz golden clean

# The lint shows the showcase and the textbook example; the published blueprints
# (examples/published/, transcribed gaps and all, reviewed by tests/test_published.py)
# are drawn with the others but left out of the lint, whose findings on them are the
# subject of that test, not of a demo.
demo: $(RUNTIME) graphviz
	$(BIN)/blueprint --version
	$(BIN)/blueprint lint examples/*.yaml examples/textbook/
	$(BIN)/blueprint render examples/ -o out/ --format svg
	$(BIN)/blueprint render examples/ -o out/ --format png
	$(BIN)/blueprint audit check examples/audits/hotel/
	$(BIN)/blueprint audit template examples/hotel.yaml -o out/hotel-audit-checklist.md
	$(BIN)/blueprint audit report examples/hotel.yaml examples/audits/hotel/
	$(BIN)/blueprint report examples/hotel.yaml --visits examples/audits/hotel/ -o out/hotel.html
	$(BIN)/blueprint fmt --check examples/
	$(BIN)/blueprint export examples/hotel.yaml --to drawio -o out/hotel.drawio --force
	$(BIN)/blueprint export examples/hotel.yaml --to xlsx -o out/hotel.xlsx --force
	@echo "pictures in out/: open out/hotel.svg or out/hotel.png; the report: out/hotel.html; the audit checklist: out/hotel-audit-checklist.md; editable: out/hotel.drawio (diagrams.net), out/hotel.xlsx"

test: $(DEV) graphviz chromium lint-code
	$(BIN)/pytest

# The schema in real clients (ajv, the YAML language server): Node programs, installed
# from tests/clients/package-lock.json; needs node and npm. Not part of `make test`.
clients: $(DEV)
	cd tests/clients && npm ci --silent --no-audit --no-fund
	$(BIN)/pytest -q tests/test_clients.py

# Static checks: style, types, the layering contracts, dead code.
lint-code: $(DEV)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/vulture

# uv itself, pinned, in a folder of its own (not in the project's environment).
$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install -qq --disable-pip-version-check uv==$(UV_VERSION)

# The demo needs the package and its runtime dependencies only.
$(RUNTIME): $(UV) uv.lock pyproject.toml
	$(SYNC) --no-dev --inexact
	$(BIN)/python -m compileall -q src
	touch $(RUNTIME)

$(DEV): $(UV) uv.lock pyproject.toml
	$(SYNC)
	$(BIN)/python -m compileall -q src
	touch $(RUNTIME) $(DEV)

lock: $(UV)
	$(UVENV) $(UV) lock --upgrade

# The suite outside the lock: the lowest versions the package allows of its direct
# dependencies, and the newest of everything. Each in its own environment.
test-oldest: $(UV) graphviz
	$(MAKE) --no-print-directory _outside VENV=.venv-oldest RESOLUTION=lowest-direct

test-latest: $(UV) graphviz
	$(MAKE) --no-print-directory _outside VENV=.venv-latest RESOLUTION=highest

_outside:
	rm -rf $(VENV)
	$(UVENV) $(UV) venv --quiet $(VENV)
	$(UVENV) VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --resolution $(RESOLUTION) -e . --group dev
	$(UVENV) VIRTUAL_ENV=$(VENV) $(UV) pip list --quiet 2>/dev/null | grep -iE '^(typer|click|pydantic|pydantic-core|pyyaml|rich|graphviz|pypdf) '
	$(BIN)/pytest -p no:cacheprovider

# Graphviz's `dot` comes from the OS. Installed only when missing (CI and the
# developers' machines are Debian, run as root; sudo is used when available).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Graphviz 'dot' not found: installing the graphviz package"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	}
	@dot -V

# The browser tests' Chromium and its WebDriver, from Debian (chromium, chromium-driver),
# installed as Graphviz is: only when missing.
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; } || { \
	  echo "chromium or chromedriver not found: installing Debian's chromium and chromium-driver"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; \
	}
	@chromium --version

# Long fuzzing of every command: mutated examples in-process, and scenarios (sizes, names,
# links) as real processes; failures in build/fuzz-failures.json (CI runs a fixed budget).
# FUZZ_ARGS: more options, e.g. --families names,links --timeout 30 (see --help).
FUZZ_MINUTES ?= 30
FUZZ_ARGS ?=
fuzz: $(DEV)
	$(BIN)/python -m tests.fuzzing --minutes $(FUZZ_MINUTES) $(FUZZ_ARGS)

# Benchmarks against check-jsonschema, yamllint and the parse floor; see docs/benchmarks.md.
bench: $(DEV) graphviz
	$(SYNC) --group bench
	$(BIN)/python -m benchmarks.run

golden: $(DEV)
	$(BIN)/python tests/regen_golden.py

clean:
	rm -rf $(VENV) .venv-oldest .venv-latest .uv build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
