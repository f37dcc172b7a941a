# Two commands do all set-up on a fresh machine:
#   make demo   creates .venv, installs datakort, generates the sample share and scans it
#   make test   also installs the dev dependencies, then runs the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test clean ocr

# Danish OCR for the sample's scanned letter: Debian's tesseract, installed when we are root;
# otherwise the demo still runs and records the scanned page as "OCR not available".
ocr:
	@command -v tesseract >/dev/null && [ -n "$$(ls /usr/share/tesseract-ocr/*/tessdata/dan.traineddata 2>/dev/null)" ] \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	       && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-dan; } \
	  || echo "note: Danish OCR is off: run 'sudo apt-get install tesseract-ocr tesseract-ocr-dan' for it"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed ocr
	$(BIN)/datakort demo --workdir demo-output

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) demo-output
