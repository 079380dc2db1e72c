# Brigade Hub. `make serve` shows the site and `make test` runs every test; each sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# axe-core, for the accessibility checks in the browser tests; pinned in package-lock.json.
NODE_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)

.PHONY: help setup serve test check build lock clean

help: ## list the commands
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

setup: $(STAMP) ## create .venv with the pinned packages (the other commands do this themselves)

serve: $(STAMP) ## build the pages and serve them at http://127.0.0.1:8000/
	$(BIN)/brigadehub serve

test: $(STAMP) $(NODE_STAMP) ## run every test
	$(BIN)/python -m pytest

check: $(STAMP) ## validate the brigade files
	$(BIN)/brigadehub validate

build: $(STAMP) ## build the site into site/
	$(BIN)/brigadehub build

lock: ## re-pin every dependency after changing pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test]'
	{ echo "# Exact versions of every package, direct or not. Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^#'; } > requirements.lock
	rm -rf .lock-venv

clean: ## remove the virtual environment and everything built
	rm -rf $(VENV) node_modules site docs/generated

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Brigade Hub needs Python 3.11 or newer; try: make PYTHON=python3.11")'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# Without npm the accessibility checks skip, and say so (CI installs it and requires them).
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped"; fi
