# The two commands: `make site` and `make test`. Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# Front-end files vendored from npm (package-lock.json): the opencc-js converter for traditional queries (and axe-core for the tests).
NODE_VENDOR := node_modules/.package-lock.json
# Browser tests drive Debian's chromium (never a downloaded browser build); installed when missing, with a
# CJK font so that the screenshots the tests save show the text.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site pages serve test bench clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(INSTALLED)

$(NODE_VENDOR): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

$(CHROMIUM) $(CJK_FONT):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei

pages: $(INSTALLED)
	$(PY) -m build_tools build

site: pages $(NODE_VENDOR)
	$(PY) -m build_tools site

# Live preview on http://127.0.0.1:8000/ (mkdocs serve: reloads the browser when docs/ changes; run
# `python -m build_tools build` in another terminal after changing seeds/ or the pipeline).
serve: pages $(NODE_VENDOR)
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: $(INSTALLED) $(NODE_VENDOR) $(CHROMIUM) $(CJK_FONT)
	$(PY) -m pytest

# `make bench N=10000` for a larger corpus; BENCH_FLAGS=--site adds mkdocs build of the bench pages.
# Then the search: an index of SEARCH_N synthetic documents in the built site's results page, timed in
# Debian's chromium online and from file:// (needs the site: `make site` first, which bench does).
N ?= 1000
SEARCH_N ?= 10000
bench: site $(CHROMIUM)
	$(PY) -m build_tools bench --documents $(N) $(BENCH_FLAGS)
	$(PY) bench/search_bench.py --documents $(SEARCH_N)

clean:
	rm -rf site site.* dist dist.* build .cache node_modules docs/documents docs/data docs/cities docs/years \
		docs/topics docs/genres docs/cited docs/search docs/review docs/.build-complete
