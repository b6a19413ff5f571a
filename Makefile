# Everything installs itself from the package registries: `make test` and `make demo`
# work on a fresh clone.
PYTHON ?= python3
# Meltano and its plugins' venvs (e2e tests, demo). Defaults to PYTHON; CI's 3.14 job sets 3.13:
# target-duckdb's pinned duckdb 1.2.2 has no 3.14 wheels (see meltano.yml).
MELTANO_PYTHON ?= $(PYTHON)
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
VENV := .venv
MELTANO_VENV := .venv-meltano
export UV_PYTHON_DOWNLOADS := never
export MELTANO_SEND_ANONYMOUS_USAGE_STATS := false
export MELTANO_CLI_DISABLE_VERSION_CHECK := true

MELTANO_VERSION := 4.4.1
MELTANO := $(MELTANO_VENV)/bin/meltano
# `meltano install` again only when the plugin definitions or the tap's dependencies change.
MELTANO_STAMP := .meltano/.plugins-installed

TWINE_VERSION := 7.0.0

.PHONY: setup deps test unit lint format demo meltano-setup e2e bench dist clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

setup: $(UV)
	$(UV) sync --frozen --group dev --python $(PYTHON)
	@# A venv made while `backoff` was declared held it and `python-backoff`, two distributions
	@# of one module: uv removing the first deleted the files of the second. Repair it once.
	@$(VENV)/bin/python -c "import backoff" 2>/dev/null || \
		$(UV) sync --frozen --group dev --python $(PYTHON) --reinstall-package python-backoff

# Dependencies chosen, none accumulated (deptry): the package uses every runtime dependency and
# imports no test-only one; every import anywhere (the simulator, tests, scripts, benchmarks) is
# declared, every test dependency is used, nothing is imported that only comes with another
# package.
deps: setup
	$(VENV)/bin/deptry tap_pinterest_ads
	$(VENV)/bin/deptry tap_pinterest_ads pinterest_simulator tests scripts benchmarks --non-dev-dependency-groups test

test: setup deps
	$(VENV)/bin/pytest

unit: setup
	$(VENV)/bin/pytest -m "not e2e"

# mypy --strict on the package ([tool.mypy] in pyproject.toml).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

e2e: setup
	$(VENV)/bin/pytest -m e2e

# Meltano in its own venv (it pins SQLAlchemy 2.0 and friends), then the plugins of meltano.yml
# into .meltano/ (PyPI only: every plugin is fully specified, Meltano Hub is never asked).
$(MELTANO): | $(UV)
	$(UV) venv --quiet --allow-existing --python $(MELTANO_PYTHON) $(MELTANO_VENV)
	$(UV) pip install --quiet --python $(MELTANO_VENV)/bin/python meltano==$(MELTANO_VERSION)

$(MELTANO_STAMP): meltano.yml pyproject.toml | $(MELTANO)
	$(MELTANO) install
	@touch $@

meltano-setup: $(MELTANO_STAMP)

# Offline demo: the local API simulator -> both jobs -> DuckDB file -> dbt, then the
# cross-channel model.
demo: setup meltano-setup
	$(VENV)/bin/python scripts/demo.py

# Benchmarks against the local simulator (not part of `make test`; several minutes; the Airbyte
# peer installs itself into .venv-peer). Results: benchmarks/results/<stamp>/. See
# benchmarks/README.md. A 150k-rows-only run: make bench BENCH_ARGS="--quick"
BENCH_ARGS ?=
bench: setup
	$(VENV)/bin/python -m benchmarks.bench $(BENCH_ARGS)

# The release artefacts, as .github/workflows/release.yml builds them: sdist + wheel in dist/,
# versioned from the git tag (hatch-vcs), checked by twine.
dist: $(UV)
	rm -rf dist
	$(UV) build --out-dir dist
	$(UV) tool run --from twine==$(TWINE_VERSION) twine check --strict dist/*

clean:
	rm -rf $(VENV) $(TOOLS) $(MELTANO_VENV) .meltano output .pytest_cache
