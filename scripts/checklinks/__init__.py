"""Check every link a reader can click on a MkDocs 1.6 site.

MkDocs' own `validation:` never looks at links in raw HTML or at `click`
targets in mermaid diagrams, and reports orphan pages only as nav notices.
This script checks the built site, where every link has ended up, whoever
wrote it: Markdown links and images (also inside admonitions, tabs and
details), raw HTML `href`/`src`, links inside inline SVG (`href` and
`xlink:href`), mermaid `click ... href "..."` lines, the
`nav` of the config, redirect targets of the mkdocs-redirects plugin, and the
links that the theme and its overrides add to every page. For each it checks
that the target exists (case-sensitively, as a Linux web server serves it, also
on macOS), is not excluded from the build, is reached at the right relative
depth, and that its `#fragment` is an id on the target page. Pages that neither
the nav nor any other page links to are reported as orphans.

A site whose build writes diagrams.json (this project's hooks/diagrams.py;
its format is src/archnotes/diagram_data.py's) has the `click` links of its diagrams
read from there, drawn diagrams included, whose links live only inside their
drawings; without it, those of <div class="mermaid"> sources are read.

Each broken link is traced back to where it was written: the page's Markdown
is rendered again with the config's own Markdown extensions, links as written
are matched to the built ones, and each is placed on the source line where its
text renders as a link (so text in code spans and code blocks is never taken
for one). A broken link that no page's Markdown holds, because the theme, an
override, a hook or a plugin adds it, is reported once, against the override
template that writes it or else the config file.

Usage:
    python scripts/check_links.py [-f CONFIG] [--site-dir DIR] [--format text|json] [--external]
                                  [--exclude REGEX ...]

    -f CONFIG        the MkDocs config (default: mkdocs.yml in the current folder)
    --site-dir DIR   check this existing build instead of building the site
                     into a temporary folder with the same config
    --format json    {"findings": [{"file", "line", "target", "kind", "message", "pages"}],
                      "checked": {"pages", "links"}, "seconds"}; "pages": how many
                     pages the broken link is on
    --external       also fetch http(s) links (concurrently, with a timeout,
                     one retry and a per-run cache)
    --exclude REGEX  skip the links in which REGEX is found, as written or as
                     the site path they resolve to (repeatable): targets that
                     another build publishes, such as /de/

Exit status: 0 when clean, 1 when there are findings, 2 for a usage or
configuration error, in one line on stderr (missing config, bad YAML, missing
or empty docs folder, a --site-dir with no HTML pages, a build that fails,
Python older than 3.10). stdout carries only the report: what the build, a
hook or a Markdown extension prints goes to stderr.

Using it on another MkDocs project:
    Copy the one file `make check-links-pyz` builds (dist/check_links.pyz, a
    zipapp of this package) and run it with Python. It needs MkDocs 1.6
    and whatever the project's own config needs to build (theme, plugins,
    Markdown extensions), and assumes nothing else: it reads docs_dir, nav, use_directory_urls,
    exclude_docs, site_url and markdown_extensions from the config.

        cd path/to/project
        python path/to/check_links.pyz                 # build into a temp folder, check
        python path/to/check_links.pyz -f docs.yml     # another config file
        mkdocs build && python path/to/check_links.pyz --site-dir site   # check a build
        python path/to/check_links.pyz --format json > links.json

    It works from the config file's folder, as `mkdocs build` is run, so that
    paths such as pymdownx.snippets' base_path mean the same. In CI, exit
    status 1 fails the job. Kinds of finding: missing-page, missing-file,
    missing-anchor, case-mismatch, excluded-target, wrong-depth,
    outside-site, orphan, nav-missing, redirect-missing and, with
    --external, external-broken and external-unreachable. With a urls.txt
    beside a mkdocs.yml (this project's URL contract, scripts/url_contract.py),
    also contract-page, contract-anchor and contract-file, at its lines.

The parts, one module each (a check runs them in this order; cli.check):
    project        loading the config, and building the site, as `mkdocs build` does
    pages          which URLs and ids an HTML page holds
    builtsite      how a static web server resolves a URL against the build
    scan           which links of the built pages are broken
    external       which http(s) links fail to answer (--external)
    config_checks  nav entries, redirect targets, orphan pages
    source         where a link was written: its line in the Markdown or the config
    trace          which file and line each broken link is reported against
    findings       the kind, message and suggestion of a finding
    context        what those steps share in one check
    contract       this project's URL contract (urls.txt), when there is one
    cli            the command line, the report and the exit status

Imported where used, because a clean check of a finished build needs none of
them and the whole run has one second: markdown (tracing a finding to its
source), mkdocs.commands.build (building), urllib.request (--external).
"""

import sys

# Said before any other module is read, in syntax that any Python parses: an
# older Python would otherwise die in a traceback, which CI reads as exit 1
# ("findings") instead of 2. 3.10 is the oldest tested (see the README).
if sys.version_info < (3, 10):  # noqa: UP036  (the package's floor is 3.10; pyproject's 3.11 is this site's)
    sys.stderr.write("check_links.py: error: Python %d.%d is too old: run it with Python 3.10 or later\n"  # noqa: UP031
                     % tuple(sys.version_info[:2]))  # (%-format: an old Python must parse this file)
    sys.exit(2)
