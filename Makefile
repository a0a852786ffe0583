# The two commands: `make site` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: site pages test bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

pages: $(INSTALLED)
	$(PY) -m build_tools build

site: pages
	$(PY) -m build_tools site

test: $(INSTALLED)
	$(PY) -m pytest

bench: $(INSTALLED)
	$(PY) -m build_tools bench

clean:
	rm -rf site site.tmp site.old build .cache docs/documents docs/data
