# Two commands on a fresh Debian machine with Python 3.11:
#   make run    creates .venv, installs, serves the workbooks on 127.0.0.1:8866
#   make test   creates .venv, installs (Chromium and the hub's proxy included), runs every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8866
ROOT_USER := $(shell [ "$$(id -u)" = 0 ] && echo yes)
APT_UPDATED := /tmp/.casemap-apt-updated

.PHONY: run test bench lint check-tools clean

# Debian splits venv support out of python3; install it when root and missing.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  if [ -n "$(ROOT_USER)" ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "Python venv support is missing: sudo apt-get install python3-venv"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,hub]'
	@# Editable installs skip data-files: link our Voila template (lab without CDN links) in.
	mkdir -p $(VENV)/share/jupyter/voila/templates
	ln -sfn $(CURDIR)/share/jupyter/voila/templates/casemap $(VENV)/share/jupyter/voila/templates/casemap
	touch $(STAMP)

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
/usr/bin/chromium:
	@if [ -n "$(ROOT_USER)" ]; then \
	  apt-get update -qq && apt-get install -y -qq chromium; \
	else echo "Chromium is missing: sudo apt-get install chromium"; exit 1; fi

# The JupyterHub test needs configurable-http-proxy (Node) in the repository's node_modules.
node_modules/.bin/configurable-http-proxy: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ -n "$(ROOT_USER)" ]; then apt-get update -qq && apt-get install -y -qq nodejs npm; \
	  else echo "npm is missing: sudo apt-get install nodejs npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(STAMP)
	@echo "casemap: open http://127.0.0.1:$(PORT)/voila/render/consultation.ipynb  (start page: http://127.0.0.1:$(PORT)/)"
	$(VENV)/bin/voila notebooks/ --port=$(PORT) --no-browser

lint: $(STAMP)
	$(VENV)/bin/ruff check casemap widgets tests benchmarks deploy
	$(VENV)/bin/lint-imports

test: $(STAMP) /usr/bin/chromium node_modules/.bin/configurable-http-proxy lint
	$(PY) -m pytest tests -q -p no:randomly
	$(PY) -m pytest notebooks -q --nbval-lax --nbval-current-env \
	  --nbval-sanitize-with tests/notebooks/sanitize.cfg -p no:randomly

bench: $(STAMP) /usr/bin/chromium
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) node_modules test-artifacts
