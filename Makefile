# Everything installs itself from the package registries: `make test` and `make demo`
# work on a fresh clone.
PYTHON ?= python3
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
VENV := .venv
MELTANO_VENV := .venv-meltano
export UV_PYTHON_DOWNLOADS := never
export MELTANO_SEND_ANONYMOUS_USAGE_STATS := false
export MELTANO_CLI_DISABLE_VERSION_CHECK := true

.PHONY: setup test unit lint format demo clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

setup: $(UV)
	$(UV) sync --frozen --group dev --python $(PYTHON)

test: setup
	$(VENV)/bin/pytest

unit: setup
	$(VENV)/bin/pytest -m "not e2e"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) $(TOOLS) $(MELTANO_VENV) .meltano output .pytest_cache
