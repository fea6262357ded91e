# Two commands do everything on a fresh machine with Python 3.10+:
#   make run    the main job: the suite live against the embedded emulator, the matrix, reports/
#   make test   the tests: the suite replayed offline from cassettes, and the tests of the tools
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test scan cleanup record sdk-matrix clean

$(BIN)/conformance: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

run: $(BIN)/conformance
	$(BIN)/conformance run

# One worker more than there are cores: the tests that run the suite in a subprocess spend
# part of their time waiting (an emulator's retry-after, a preflight timeout), and the spare
# worker fills it (measured on 2 cores: 2 workers 77 s, 3 workers 65 s; docs/benchmarks.md).
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(len(os.sched_getaffinity(0)) + 1 if hasattr(os, 'sched_getaffinity') else (os.cpu_count() or 1) + 1)")
# Where PYTHONDONTWRITEBYTECODE is set, byte code (and pytest's rewritten asserts) is cached
# under the temp directory instead of not at all: each xdist worker otherwise re-compiles
# everything (tests/conftest.py does the same for the tests' own subprocesses).
test: $(BIN)/conformance
	$(if $(PYTHONDONTWRITEBYTECODE),env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$${PYTHONPYCACHEPREFIX:-$${TMPDIR:-/tmp}/conformance-pycache-$$(id -u)}) $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# Secret-shaped strings in the cassettes (CI runs this before the tests).
scan: $(BIN)/conformance
	$(BIN)/conformance scan cassettes

# Delete what crashed live runs left behind (TARGETS=my-azure.toml for your resources).
cleanup: $(BIN)/conformance
	$(BIN)/conformance cleanup $(if $(TARGETS),--targets $(TARGETS))

# Re-record every cassette against the embedded emulator, then replay them offline.
record: $(BIN)/conformance
	$(BIN)/pytest suites --live --record-mode=rewrite
	$(BIN)/pytest suites

# The SDK axis: replay the cassettes under openai 1.68.2, newest 1.x, 2.x and 3.x (tox), one
# report each in reports/<env>/, merged into reports/sdk/compat.{json,md,html}.
sdk-matrix: $(BIN)/conformance
	$(BIN)/python -m pip install --quiet 'tox>=4'
	$(BIN)/tox -p auto

clean:
	rm -rf $(VENV) reports
