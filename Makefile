# Set-up contract: on a fresh Debian machine `make demo` and `make test` do everything.
VENV    ?= .venv
PYTHON  ?= python3
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: demo test fuzz bench graphviz golden clean

demo: $(STAMP) graphviz
	$(BIN)/blueprint --version
	$(BIN)/blueprint lint examples/
	$(BIN)/blueprint render examples/ -o out/ --format svg
	$(BIN)/blueprint render examples/ -o out/ --format png
	@echo "pictures in out/: open out/hotel.svg or out/hotel.png"

test: $(STAMP) graphviz
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Graphviz's `dot` comes from the OS. Installed only when missing (CI and the
# developers' machines are Debian, run as root; sudo is used when available).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Graphviz 'dot' not found: installing the graphviz package"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq graphviz >/dev/null; \
	}
	@dot -V

# Long fuzzing of every command with mutated examples (CI runs a short fixed budget).
FUZZ_MINUTES ?= 25
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzzing --minutes $(FUZZ_MINUTES)

# Benchmarks against check-jsonschema, yamllint and the parse floor; see docs/benchmarks.md.
bench: $(STAMP) graphviz
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python -m benchmarks.run

golden: $(STAMP)
	$(BIN)/python tests/regen_golden.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
