# Two commands do all set-up on a fresh machine:
#   make demo   creates .venv, installs datakort, generates the sample share and scans it
#   make test   also installs the dev dependencies, then runs the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/datakort demo --workdir demo-output

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) demo-output
