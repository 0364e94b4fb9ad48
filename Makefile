# The two commands of the README:
#   make serve   set up .venv if needed, then live-preview the site on http://127.0.0.1:8000/ (PORT=8001 make serve)
#   make test    set up .venv if needed, then run every check and test
# and the writer's loop (README, "Adding a page"; CONTRIBUTING.md):
#   make new-page SECTION=component SLUG=retry   a new page, its example, its test, its nav entry
#   make diagrams                                 draw new diagrams (diagrams/KEY.svg, committed)
#   make check                                    the fast checks: build, links, page rules, examples
#   make urls                                     add new pages and headings to the URL contract (urls.txt)
# Everything else here is a step of those, or a measurement (bench, audit).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   := site
PORT   ?= 8000
# The editions and their configs are defined once, in src/archnotes/editions.py.
EDITION_CONFIG = $(shell $(PYTHON) src/archnotes/editions.py config $(1))
# Two banners about MkDocs 2 print on every build; neither is a warning about
# this site. Material 9.8 prints one unless NO_MKDOCS_2_WARNING is set, and
# mkdocs-redirects (through properdocs) the other unless DISABLE_MKDOCS_2_WARNING=true.
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: serve test check new-page build pdf diagrams offline runtime lint check-vendored check-diagrams check-links check-links-pyz check-html test-examples bench audit clean urls

# Re-install only when a requirements file or pyproject.toml changes. The
# project's own package (src/archnotes: what hooks, scripts and tests share) is
# installed in editable mode: it is imported from src/ as it is.
$(BIN)/.site-installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --editable .
	touch $@

$(BIN)/.test-installed: requirements-test.txt $(BIN)/.site-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# npm tools for the tests (axe-core, the Nu HTML Checker), exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# Pyodide and the examples' libraries for the Run buttons, fetched by their pins
# (package-lock.json, requirements-browser.txt) into .cache/pyodide/ and checked
# against PYODIDE.json (scripts/fetch_pyodide.py). Python only: no npm needed.
RUNTIME := .cache/pyodide/.fetched
$(RUNTIME): package-lock.json requirements-browser.txt PYODIDE.json $(BIN)/.site-installed
	$(BIN)/python scripts/fetch_pyodide.py
	touch $@

runtime: $(RUNTIME)

# Not strict: the preview shows whatever a writer has written so far. A diagram
# not drawn yet is drawn in the browser under a note (its syntax error there, with
# file and line), and the log warns; make build and make test stay strict.
# diagrams/ is watched, so `make diagrams` in another terminal reloads the page.
serve: $(BIN)/.site-installed $(RUNTIME)
	$(BIN)/mkdocs serve --no-strict --dev-addr 127.0.0.1:$(PORT) --livereload --watch diagrams

# --strict turns every warning into a failure; never add -q (it hides them).
# The test tools (Playwright): a diagram not drawn yet is parsed in Chromium,
# so a syntax error fails the build at its line (hooks/diagrams.py).
build: $(BIN)/.test-installed $(RUNTIME)
	$(BIN)/mkdocs build --strict --site-dir $(SITE)

# The PDF edition, architecture-notes.pdf at the root of the site (its /print/
# page links to it): the PDF edition (src/archnotes/editions.py) built aside, printed by Chromium.
pdf: $(BIN)/.test-installed build
	$(BIN)/python scripts/build_pdf.py --site-dir $(SITE)

# Every check and test. Order: cheap and specific first, so a failure is quick to
# read: the linter and the vendored files (seconds), the strict build and its
# diagrams, the PDF edition (Chromium), the links and the HTML of the site as it
# is published (with its PDF), then pytest: every suite but the browser's (its
# settings, coverage included, are in pyproject.toml), then the browser's.
# The tests build their own sites, for their own addresses: SITE_URL (the
# address `make build` builds for) is not theirs.
test: $(BIN)/.test-installed node_modules/.installed lint check-vendored build check-diagrams pdf check-links check-html
	env -u SITE_URL -u REPO_URL $(BIN)/python -m pytest
	@# A separate run: Playwright's sync API keeps an event loop running for the
	@# whole session, which would break the examples' own asyncio.run().
	env -u SITE_URL -u REPO_URL $(BIN)/python -m pytest --no-cov tests/browser --durations=5

# The writer's loop, about a minute: the strict build, every link, the page
# rules and the built HTML (tests/site), the examples with their coverage.
check: $(BIN)/.test-installed node_modules/.installed lint build check-links
	env -u SITE_URL -u REPO_URL $(BIN)/python -m pytest tests/site tests/examples -q

# A new topic page from its section's template, with a stub example, its output,
# a stub test and its nav entry: make new-page SECTION=component SLUG=retry
new-page: $(BIN)/.site-installed
	$(BIN)/python scripts/new_page.py "$(SECTION)" "$(SLUG)"

# Draw new or changed diagrams as SVG (diagrams/KEY.svg, committed), in Chromium,
# for every edition; unused drawings are deleted only when nothing failed.
diagrams: $(BIN)/.test-installed $(RUNTIME)
	$(BIN)/python scripts/render_diagrams.py

# Steps of `make test`, each also a command of its own. Alone, check-links and
# check-html build the site first, without the PDF edition; in `make test` they
# run after `make pdf`, on the site as it is published.
lint: $(BIN)/.test-installed
	$(BIN)/ruff check .

check-vendored: $(BIN)/.site-installed $(RUNTIME)
	$(BIN)/python scripts/vendor_mermaid.py --check
	$(BIN)/python scripts/fetch_pyodide.py --check

# The URL contract (urls.txt, committed): add every page, heading id and file the
# build publishes that it does not list yet. It never removes a line: retiring a
# URL is an edit of urls.txt. check_links.py holds every build to it.
urls: $(BIN)/.test-installed build
	$(BIN)/python scripts/url_contract.py --site-dir $(SITE)

check-links: $(BIN)/.test-installed build
	$(BIN)/python scripts/check_links.py --site-dir $(SITE)

# The link checker as one file to copy into another MkDocs project:
# dist/check_links.pyz, a zipapp of scripts/checklinks (python check_links.pyz --help).
check-links-pyz: $(BIN)/.site-installed
	$(BIN)/python scripts/zip_check_links.py dist/check_links.pyz

check-diagrams: $(BIN)/.test-installed build
	$(BIN)/python scripts/check_diagrams.py --site-dir $(SITE)

check-html: $(BIN)/.test-installed node_modules/.installed build
	$(BIN)/python scripts/check_html.py --site-dir $(SITE)

test-examples: $(BIN)/.test-installed
	env -u SITE_URL -u REPO_URL $(BIN)/python -m pytest tests/examples -q

# The offline edition: open site-offline/index.html from disk, no server needed.
offline: $(BIN)/.test-installed
	$(BIN)/mkdocs build --strict -f $(call EDITION_CONFIG,offline)

# Numbers, not pass/fail: build time, page weight, checker speed.
bench: $(BIN)/.test-installed build
	$(BIN)/python scripts/bench.py --site-dir $(SITE)

clean:
	rm -rf $(shell $(PYTHON) src/archnotes/editions.py site-dirs) .coverage dist

# An audit, not a test: minutes long, and its numbers depend on the machine.
# Lighthouse on every page of the built site, served with gzip (desktop 100 x4,
# mobile performance >= 95 as the median of 3 runs), then known vulnerabilities
# of the pinned Python and npm dependencies. Choose pages and runs with e.g.
#   make audit AUDIT_ARGS="--pages / component/raft/ --runs 1"
AUDIT_ARGS ?=
.PHONY: audit
tools/audit/node_modules/.installed: tools/audit/package.json tools/audit/package-lock.json
	npm ci --prefix tools/audit --no-audit --no-fund --ignore-scripts
	touch $@

# pip-audit in a venv of its own, so its dependencies never move the site's pins.
$(VENV)/pip-audit/.installed: tools/audit/requirements.txt
	test -x $(VENV)/pip-audit/bin/python || $(PYTHON) -m venv $(VENV)/pip-audit
	$(VENV)/pip-audit/bin/python -m pip install --quiet --disable-pip-version-check -r tools/audit/requirements.txt
	touch $@

audit: $(BIN)/.site-installed tools/audit/node_modules/.installed $(VENV)/pip-audit/.installed build
	$(BIN)/python scripts/audit.py --site-dir $(SITE) $(AUDIT_ARGS)
