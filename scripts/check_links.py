#!/usr/bin/env python3
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
its format is hooks/diagram_data.py's) has the `click` links of its diagrams
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

    -f CONFIG        the MkDocs config (default: mkdocs.yml in the current folder)
    --site-dir DIR   check this existing build instead of building the site
                     into a temporary folder with the same config
    --format json    {"findings": [{"file", "line", "target", "kind", "message"}],
                      "checked": {"pages", "links"}, "seconds"}
    --external       also fetch http(s) links (concurrently, with a timeout,
                     one retry and a per-run cache)

Exit status: 0 when clean, 1 when there are findings, 2 for a usage or
configuration error (missing config, bad YAML, missing docs folder, a build
that fails).

Using it on another MkDocs project:
    The script is one file. It needs MkDocs 1.6 and whatever the project's
    own config needs to build (theme, plugins, Markdown extensions), and
    assumes nothing else: it reads docs_dir, nav, use_directory_urls,
    exclude_docs, site_url and markdown_extensions from the config.

        cd path/to/project
        python path/to/check_links.py                 # build into a temp folder, check
        python path/to/check_links.py -f docs.yml     # another config file
        mkdocs build && python path/to/check_links.py --site-dir site   # check a build
        python path/to/check_links.py --format json > links.json

    It works from the config file's folder, as `mkdocs build` is run, so that
    paths such as pymdownx.snippets' base_path mean the same. In CI, exit
    status 1 fails the job. Kinds of finding: missing-page, missing-file,
    missing-anchor, case-mismatch, excluded-target, wrong-depth,
    outside-site, orphan, nav-missing, redirect-missing and, with
    --external, external-broken and external-unreachable. With a urls.txt
    beside a mkdocs.yml (this project's URL contract, scripts/url_contract.py),
    also contract-page, contract-anchor and contract-file, at its lines.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import functools
import json
import logging
import os
import posixpath
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files, InclusionLevel, get_files
from mkdocs.utils import get_relative_url

# Imported where used, because a clean check of a finished build needs none of
# them and the whole run has one second: markdown (tracing a finding to its
# source), mkdocs.commands.build (building), urllib.request (--external).

# Attributes that make a browser load or follow a URL, per tag.
URL_ATTRIBUTES = {
    "a": ("href", "xlink:href"), "area": ("href",), "link": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "object": ("data",),
}
# <link rel=...> values that name an origin to connect to, not a resource.
ORIGIN_ONLY_RELS = {"preconnect", "dns-prefetch"}
# Set by the Markdown renderer on <a>/<img> it made itself: MkDocs rewrites
# exactly those links (not raw HTML), so the mark says how a link was written.
MARK = "data-check-links-md"
# Appended to a link's text in the source to tell real links from look-alikes
# in code; letters and digits only, so it never changes how the link parses.
TOKEN = "qzchklnk{}q"
EXTERNAL_TIMEOUT = 10.0
EXTERNAL_RETRIES = 1
USER_AGENT = "check_links.py (MkDocs link checker)"

class UsageError(Exception):
    """A problem with the command line, the config or the build: exit 2."""


@dataclass
class Finding:
    file: str
    line: int | None
    target: str
    kind: str
    message: str


@dataclass
class Link:
    """One URL in an HTML page, as the browser sees it (entities decoded)."""

    value: str
    marked: bool = False  # made by the Markdown renderer (see MARK)
    click: bool = False  # a mermaid `click` line's URL


@dataclass
class Problem:
    """A broken link in one built page, before it is traced to its source."""

    page: File | None  # None for theme pages such as 404.html
    page_path: str  # the HTML file, relative to the site folder
    link: Link
    reason: str  # missing | anchor | above-root | external
    site_path: str = ""  # resolved target, relative to the site folder
    fragment: str = ""
    detail: str = ""  # for external links: the HTTP status or error


# --- reading HTML ------------------------------------------------------------


@dataclass
class HtmlPage:
    links: list[Link]
    ids: set[str]
    drawn: list[str] = field(default_factory=list)  # links of <a> inside inline <svg> (drawn diagrams)


class PageParser(HTMLParser):
    """Collects the URLs a page loads or links to, its ids, and mermaid clicks
    (unless clicks=False: the site's diagrams.json lists them)."""

    def __init__(self, clicks: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.clicks = clicks
        self.page = HtmlPage([], set())
        self._mermaid_tag = ""  # tag of the open mermaid container, if any
        self._mermaid_depth = 0
        self._mermaid_text: list[str] = []
        self._svg = 0  # depth of open <svg> elements

    def updatepos(self, i, j):
        return j  # line numbers of the HTML are never used; counting them is slow

    def handle_starttag(self, tag, attrs):
        self._svg += tag == "svg"
        if tag not in URL_ATTRIBUTES and tag not in ("div", "pre") and not self._mermaid_tag:
            # Most tags (code highlighting spans) can only carry an id.
            for name, value in attrs:
                if name == "id":
                    self.page.ids.add(value or "")
            return
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.page.ids.add(attributes["name"])
        if self._mermaid_tag:  # an HTML label inside a diagram can hold a link too
            self._mermaid_depth += tag == self._mermaid_tag
        elif tag in ("div", "pre") and "mermaid" in attributes.get("class", "").split():
            self._mermaid_tag, self._mermaid_depth, self._mermaid_text = tag, 1, []
            return
        self._collect(tag, attributes)

    def _collect(self, tag, attributes):
        if tag == "link" and ORIGIN_ONLY_RELS & set(attributes.get("rel", "").lower().split()):
            return
        marked = MARK in attributes
        for name in URL_ATTRIBUTES.get(tag, ()):
            if name not in attributes:
                continue
            values = srcset_urls(attributes[name]) if name == "srcset" else [attributes[name]]
            if self._svg and tag == "a":  # Site._with_diagrams adds them, once each
                self.page.drawn += values
                continue
            self.page.links += [Link(value, marked) for value in values]

    def handle_endtag(self, tag):
        self._svg -= tag == "svg" and self._svg > 0
        if self._mermaid_tag and tag == self._mermaid_tag:
            self._mermaid_depth -= 1
            if self._mermaid_depth == 0:
                self._mermaid_tag = ""
                if self.clicks:
                    clicks = mermaid_click_urls("".join(self._mermaid_text))
                    self.page.links += [Link(url, click=True) for url in clicks]

    def handle_data(self, data):
        if self._mermaid_tag:
            self._mermaid_text.append(data)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset: comma-separated 'url [descriptor]' candidates."""
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def mermaid_click_urls(source: str) -> list[str]:
    """URLs of `click ID href "url"` and `click ID "url"` lines of a diagram.

    A bare word after the node id is a JavaScript callback, not a link."""
    urls = []
    for line in source.splitlines():
        words = line.strip().split(None, 2)
        if len(words) < 3 or words[0] != "click":
            continue
        rest = words[2]
        if rest.startswith("href"):
            rest = rest[len("href"):].lstrip()
        if rest.startswith('"') and '"' in rest[1:]:
            urls.append(rest[1:rest.index('"', 1)])
    return urls


def parse_html(text: str, clicks: bool = True) -> HtmlPage:
    parser = PageParser(clicks)
    parser.feed(text)
    parser.close()
    return parser.page


def parse_file(path: Path, clicks: bool = True) -> HtmlPage:
    return parse_html(path.read_text(encoding="utf-8", errors="replace"), clicks)


DIAGRAM_MANIFEST = "diagrams.json"


def diagram_links(site_dir: Path) -> dict[str, list[str]] | None:
    """HTML file -> the click links of its diagrams, from the build's diagrams.json;
    None when the build wrote none."""
    path = site_dir / DIAGRAM_MANIFEST
    if not path.is_file():
        return None
    links: dict[str, list[str]] = {}
    for diagram in json.loads(path.read_text(encoding="utf-8"))["diagrams"]:
        url = diagram["page"]
        page_path = url + "index.html" if url == "" or url.endswith("/") else url
        links.setdefault(page_path, []).extend(diagram["links"])
    return links


# --- the built site ------------------------------------------------------------


@dataclass
class Target:
    """Where a URL leads: nowhere to check, another site, or a path in this site."""

    where: str  # skip | external | internal
    path: str = ""  # site path; '' is the home page, a trailing '/' a folder
    fragment: str = ""
    above_root: bool = False  # climbed above the site root with '..'
    url: str = ""  # external URL without fragment


class Site:
    """The files of a build, looked up as a case-sensitive web server would."""

    def __init__(self, site_dir: Path, config, files: Files) -> None:
        self.root = site_dir
        self.paths, self.dirs = walk_site(site_dir)
        # Lowercase look-up, to tell a case mismatch from a missing file.
        self.folded = {p.lower(): p for p in self.paths}
        self.files = files
        self.by_url = {f.url: f for f in files}
        self.diagram_links = diagram_links(site_dir)
        site_url = config.site_url or ""
        parts = urlsplit(site_url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._parsed: dict[str, HtmlPage] = {}

    def parsed(self, path: str) -> HtmlPage:
        if path not in self._parsed:
            self._parsed[path] = self._with_diagrams(path, parse_file(self.root / path, self.diagram_links is None))
        return self._parsed[path]

    def _with_diagrams(self, path: str, page: HtmlPage) -> HtmlPage:
        """The links of the page's diagrams: their `click` lines (diagrams.json), and
        each other link inside their drawings once (a drawing comes in two palettes)."""
        clicks = (self.diagram_links or {}).get(path, [])
        page.links += [Link(url) for url in clicks]
        page.links += [Link(url) for url in dict.fromkeys(page.drawn) if url not in clicks]
        return page

    def parse_all(self, paths: list[str]) -> None:
        """Parse many pages at once, on every core where processes fork cheaply
        (Linux): parsing HTML is most of the time of a check."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        if cores < 2 or len(paths) < 8 or not sys.platform.startswith("linux"):
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(cores, 4), mp_context=multiprocessing.get_context("fork")) as pool:
            parse = functools.partial(parse_file, clicks=self.diagram_links is None)
            pages = pool.map(parse, [self.root / p for p in paths], chunksize=max(1, len(paths) // (4 * cores)))
            self._parsed.update((p, self._with_diagrams(p, page)) for p, page in zip(paths, pages))

    def served(self, path: str) -> str | None:
        """The file a server sends for a site path, or None (exact case)."""
        if path == "" or path.endswith("/"):
            index = path + "index.html"
            return index if index in self.paths else None
        if path in self.paths:
            return path
        # A folder without its slash: servers redirect to the folder's index.
        if path in self.dirs and path + "/index.html" in self.paths:
            return path + "/index.html"
        return None

    def served_ignoring_case(self, path: str) -> str | None:
        for candidate in (path + "index.html", path, path + "/index.html"):
            if candidate.lower() in self.folded:
                return self.folded[candidate.lower()]
        return None

    def locate(self, href: str, page_dir: str, page_path: str) -> Target:
        """Resolve a URL found on the page at page_path (in folder page_dir)."""
        href = href.strip()
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not scheme and parts.netloc:  # '//host/path' keeps the page's scheme: assume https
            parts, scheme = parts._replace(scheme="https"), "https"
        if scheme in ("http", "https"):
            inside = self.inside_site(parts)
            if inside is None:
                return Target("external", url=urlunsplit(parts._replace(fragment="")))
            return self._internal(inside, fragment)
        if scheme:  # mailto:, tel:, data:, javascript: ... nothing to fetch
            return Target("skip")
        if not path:  # '#fragment', '?query' or '': this very page
            return Target("internal", page_path, fragment)
        if path.startswith("/"):
            inside = self.inside_site(parts._replace(scheme="", netloc=""))
            if inside is None:  # an absolute link that leaves the site's folder
                return Target("internal", path.lstrip("/"), fragment, above_root=True)
            return self._internal(inside, fragment)
        return self._internal(posixpath.join(page_dir, path), fragment)

    def inside_site(self, parts) -> str | None:
        """The site path of an absolute URL that points into this site, else None."""
        if parts.netloc and f"{parts.scheme}://{parts.netloc}".lower() != self.origin:
            return None
        path = unquote(parts.path) or "/"
        if not (path + "/").startswith(self.prefix):
            return None
        return path[len(self.prefix):]

    @staticmethod
    def _internal(joined: str, fragment: str) -> Target:
        folder = joined == "" or joined.endswith(("/", "/.", "/..")) or joined in (".", "..")
        norm = posixpath.normpath(joined) if joined else "."
        above = norm == ".." or norm.startswith("../")
        while norm == ".." or norm.startswith("../"):  # browsers stop at the root
            norm = norm[3:] or "."
        norm = "" if norm == "." else norm
        if folder and norm:
            norm += "/"
        return Target("internal", norm, fragment, above_root=above)

    def has_fragment(self, served: str, fragment: str) -> bool:
        if not fragment or fragment.lower() == "top" or fragment.startswith(":~:"):
            return True  # '#top' and text fragments need no id
        if not served.endswith((".html", ".htm")):
            return True  # '#page=2' of a PDF and the like: not ours to check
        return fragment in self.parsed(served).ids


def walk_site(root: Path) -> tuple[set[str], set[str]]:
    """Every file and folder of the build, as exact-case posix paths."""
    paths, dirs = set(), set()
    for folder, dirnames, filenames in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs.update(rel + d for d in dirnames)
        paths.update(rel + f for f in filenames)
    return paths, dirs


# --- checking the built pages ----------------------------------------------------


@dataclass
class Scan:
    problems: list[Problem]
    external: list[tuple[Problem, str]]  # occurrence and URL, fetched with --external
    linked: set[str]  # site paths of pages that some other page links to
    pages: int
    links: int


def scan_pages(site: Site, pages: list[tuple[File | None, str]], want_external: bool) -> Scan:
    scan = Scan([], [], set(), 0, 0)
    site.parse_all([page_path for _, page_path in pages])
    for page, page_path in pages:
        scan.pages += page is not None
        page_dir = posixpath.dirname(page_path)
        for link in site.parsed(page_path).links:
            target = site.locate(link.value, page_dir, page_path)
            if target.where == "skip" or (target.where == "external" and not want_external):
                continue
            scan.links += 1
            if target.where == "external":
                scan.external.append((Problem(page, page_path, link, "external"), target.url))
                continue
            problem = check_target(site, page, page_path, link, target)
            if problem:
                scan.problems.append(problem)
            elif page is not None:
                served = site.served(target.path)
                if served != page_path:
                    scan.linked.add(served)
    return scan


def check_target(site: Site, page, page_path: str, link: Link, target: Target) -> Problem | None:
    problem = Problem(page, page_path, link, "", target.path, target.fragment)
    if target.above_root:
        problem.reason = "above-root"
        return problem
    served = site.served(target.path)
    if served is None:
        problem.reason = "missing"
        return problem
    if not site.has_fragment(served, target.fragment):
        problem.reason = "anchor"
        problem.site_path = served
        return problem
    return None


def check_external(scan: Scan) -> list[Problem]:
    """Fetch each external URL once (the per-run cache), many at a time."""
    from concurrent.futures import ThreadPoolExecutor

    urls = sorted({url for _, url in scan.external})
    with ThreadPoolExecutor(max_workers=max(1, min(16, len(urls)))) as pool:
        errors = dict(zip(urls, pool.map(fetch_error, urls)))
    broken = []
    for problem, url in scan.external:
        if errors[url]:
            problem.detail = errors[url]
            broken.append(problem)
    return broken


def fetch_error(url: str) -> str | None:
    """None if the URL answers, else the HTTP status or the error, after retries."""
    import urllib.error
    import urllib.request

    error = None
    for attempt in range(EXTERNAL_RETRIES + 1):
        if attempt:
            time.sleep(0.2 * attempt)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=EXTERNAL_TIMEOUT):
                return None
        except urllib.error.HTTPError as err:
            error = f"HTTP {err.code}"
            if err.code < 500 and err.code != 429:
                return error  # a client error will not change on retry
        except (urllib.error.URLError, OSError, ValueError) as err:
            error = str(getattr(err, "reason", err))
    return error


# --- tracing a link back to its Markdown source --------------------------------


def mark_rendered_links(md) -> None:
    """Marks the <a>/<img> the Markdown renderer made, after every other
    tree processor has run; raw HTML is stashed and never marked."""

    def mark(root):
        for element in root.iter():
            if element.tag in ("a", "img"):
                element.set(MARK, "")

    from markdown.treeprocessors import Treeprocessor

    processor = Treeprocessor(md)
    processor.run = mark
    md.treeprocessors.register(processor, "check_links_mark", -100)


def render_markdown(config, text: str) -> str:
    """HTML of a page's Markdown as MkDocs renders it (the config's extensions
    and their settings), except that links are left as written."""
    import markdown

    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    mark_rendered_links(md)
    return md.convert(text)


@dataclass
class Source:
    """A page's Markdown and the links it renders to, in document order."""

    text: str  # the whole file
    body_start: int  # where the Markdown starts, after any front matter
    links: list[Link]
    _lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, config, value: str, ordinal: int) -> int | None:
        """Line of the ordinal-th occurrence of `value` that renders as a link."""
        if value not in self._lines:
            self._lines[value] = link_lines(config, self, value)
        lines = self._lines[value]
        return lines[min(ordinal, len(lines) - 1)] if lines else None


def read_source(config, file: File) -> Source | None:
    from mkdocs.utils.meta import get_data

    try:
        text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        body, _ = get_data(text)
        html = render_markdown(config, body)
    except Exception:  # an extension that fails on its own: trace nothing
        return None
    start = len(text) - len(body) if text.endswith(body) else 0
    page = parse_html(html)
    return Source(text, start, page.links + [Link(url) for url in dict.fromkeys(page.drawn)])


def link_lines(config, source: Source, value: str) -> list[int]:
    """Lines where `value` is written as a link, not as text or code.

    Every occurrence of the text gets its own token appended and the page is
    rendered again; occurrences whose token comes back inside a link are real."""
    body = source.text[source.body_start:]
    spots = []
    at = body.find(value)
    while at >= 0 and value:
        spots.append(at)
        at = body.find(value, at + len(value))
    if len(spots) > 1:
        tokenised = body
        for number, spot in reversed(list(enumerate(spots))):
            end = spot + len(value)
            tokenised = tokenised[:end] + TOKEN.format(number) + tokenised[end:]
        try:
            rendered = {link.value for link in parse_html(render_markdown(config, tokenised)).links}
            real = [s for n, s in enumerate(spots) if value + TOKEN.format(n) in rendered]
            spots = real or spots
        except Exception:
            pass
    return [source.text.count("\n", 0, source.body_start + s) + 1 for s in spots]


def mkdocs_output(link: Link, page: File, files: Files, config) -> str:
    """What MkDocs turns a written link into (mirrors its relative-path rewrite):
    Markdown links to a known source file become URLs; all else stays as is."""
    if not link.marked:
        return link.value
    scheme, netloc, path, query, fragment = urlsplit(link.value)
    if scheme or netloc or not path:
        return link.value
    if path.startswith(("/", "\\")) and not absolute_links_relative_to_docs(config):
        return link.value
    target = files.get_file_from_path(source_target(page.src_uri, unquote(path)))
    if target is None:
        return link.value
    return urlunsplit(("", "", get_relative_url(target.url, page.url), query, fragment))


def absolute_links_relative_to_docs(config, where: str = "links") -> bool:
    """validation.<where>.absolute_links: relative_to_docs makes MkDocs read
    '/page.md' from the docs folder."""
    setting = config.validation[where].absolute_links
    return getattr(setting, "name", str(setting)).lower() == "relative_to_docs"


def source_target(src_uri: str, path: str) -> str:
    """The docs-relative file a link written in src_uri names (as MkDocs resolves it)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


# --- turning problems into findings ----------------------------------------------


@dataclass
class Context:
    config: object
    files: Files
    site: Site
    config_name: str
    redirect_maps: dict
    sources: dict[str, Source | None] = field(default_factory=dict)
    config_lines: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def source(self, file: File) -> Source | None:
        if file.src_uri not in self.sources:
            self.sources[file.src_uri] = read_source(self.config, file)
        return self.sources[file.src_uri]

    def config_line(self, section: str, *values: str) -> int | None:
        """Line of the config file where one of the values is written under a
        top-level key (read only when there is a finding to place)."""
        if section not in self.config_lines:
            self.config_lines[section] = config_scalar_lines(self.config.config_file_path, section)
        lines = self.config_lines[section]
        return next((lines[v][0] for v in values if v in lines), None)


def trace_problems(ctx: Context, problems: list[Problem], claimed: set[str]) -> list[Finding]:
    """Findings for broken links: each traced to its page and line where written
    there, the rest (theme, hooks, plugins) reported once for all pages."""
    findings, untraced = [], []
    for page, page_problems in group_by_page(problems).items():
        source = ctx.source(page) if page else None
        written = source.links if source else []
        if ctx.site.diagram_links is not None:  # this project's hooks resolve diagram links as Markdown links
            written = [Link(w.value, True) if w.click else w for w in written]
        expected = [mkdocs_output(w, page, ctx.files, ctx.config) for w in written] if page else []
        used: set[int] = set()
        for problem in page_problems:
            index = next((i for i, e in enumerate(expected)
                          if e == problem.link.value and i not in used), None)
            if index is None:
                untraced.append(problem)
                continue
            used.add(index)
            link = written[index]
            ordinal = sum(1 for w in written[:index] if w.value == link.value)
            line = source.line_of(ctx.config, link.value, ordinal)
            kind, message, suggestion = diagnose(ctx, problem, link)
            findings.append(make_finding(page.src_uri, line, link.value, kind, message, suggestion))
    findings += report_untraced(ctx, untraced, claimed)
    return findings


def group_by_page(problems: list[Problem]) -> dict:
    groups: dict = {}
    for problem in problems:
        groups.setdefault(problem.page, []).append(problem)
    return groups


def report_untraced(ctx: Context, problems: list[Problem], claimed: set[str]) -> list[Finding]:
    """Links not written in the page's own Markdown. One broken target on many
    pages comes from the theme (or a hook, plugin or shared snippet): say it once."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        if problem.reason != "external" and problem.site_path.rstrip("/") in claimed:
            continue  # a broken nav entry, already reported against the config
        external = problem.link.value if problem.reason == "external" else ""
        groups.setdefault((problem.reason, problem.site_path, problem.fragment, external), []).append(problem)
    findings = []
    for group in groups.values():
        first = group[0]
        kind, message, suggestion = diagnose(ctx, first, first.link)
        pages = sorted({p.page.src_uri if p.page else p.page_path for p in group})
        if len(pages) == 1 and first.page is not None:
            message += " (not in the page's Markdown: added by a hook, plugin or snippet)"
            findings.append(make_finding(first.page.src_uri, None, first.link.value, kind, message, suggestion))
            continue
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        message += f" (added by the theme, a plugin or a hook; on {len(pages)} page(s): {shown})"
        file, line = theme_location(ctx, first)
        target = first.site_path if first.reason != "external" else first.link.value
        findings.append(make_finding(file, line, target or first.link.value, kind, message, suggestion))
    return findings


def theme_location(ctx: Context, problem: Problem) -> tuple[str, int | None]:
    """The override template that writes the target, else the config file."""
    custom_dir = ctx.config.theme.custom_dir
    needle = problem.site_path.strip("/") if problem.reason != "external" else problem.link.value
    if custom_dir and needle:
        config_dir = Path(ctx.config.config_file_path).parent
        for template in sorted(Path(custom_dir).rglob("*")):
            if not template.is_file():
                continue
            lines = template.read_text(encoding="utf-8", errors="replace").splitlines()
            for number, text in enumerate(lines, 1):
                if needle in text:
                    return os.path.relpath(template, config_dir).replace(os.sep, "/"), number
    return ctx.config_name, None


def make_finding(file, line, target, kind, message, suggestion) -> Finding:
    if suggestion and suggestion != target:
        message += f"; did you mean `{suggestion}`?"
    return Finding(file, line, target, kind, message)


def diagnose(ctx: Context, problem: Problem, link: Link) -> tuple[str, str, str | None]:
    """(kind, message, suggestion) for a problem, given the link as written."""
    if problem.reason == "external":
        kind = "external-broken" if problem.detail.startswith("HTTP") else "external-unreachable"
        return kind, f"external link fails: {problem.detail}", None
    if problem.reason == "anchor":
        return diagnose_anchor(ctx, problem, link)
    if link.marked and names_a_file(link.value) and problem.page is not None:
        return diagnose_source_link(ctx, problem.page, link.value)
    return diagnose_site_link(ctx, problem, link.value)


def names_a_file(value: str) -> bool:
    """A relative path with an extension: MkDocs looks it up among the docs
    files (a path without one, like `../other/`, is a URL and stays as is)."""
    parts = urlsplit(value)
    relative = not parts.scheme and not parts.netloc and not parts.path.startswith("/")
    return relative and bool(posixpath.splitext(parts.path)[1])


def diagnose_anchor(ctx: Context, problem: Problem, link: Link):
    ids = [i for i in ctx.site.parsed(problem.site_path).ids if not i.startswith("__")]
    close = difflib.get_close_matches(problem.fragment, ids, n=1, cutoff=0.6)
    base = link.value.split("#", 1)[0]
    where = page_name(ctx, problem.site_path)
    suggestion = f"{base}#{close[0]}" if close else None
    return "missing-anchor", f"{where} has no heading or id `{problem.fragment}`", suggestion


def page_name(ctx: Context, site_path: str) -> str:
    """A page named the way its writers know it: by its source file."""
    for file in ctx.files.documentation_pages():
        if file.dest_uri == site_path:
            return file.src_uri
    return site_path


def diagnose_source_link(ctx: Context, page: File, value: str):
    """A Markdown link MkDocs could not resolve: read it as MkDocs does, from
    the source file's folder, among the docs files."""
    path, _, fragment = value.partition("#")
    target = source_target(page.src_uri, unquote(urlsplit(path).path))
    file = ctx.files.get_file_from_path(target)
    suffix = f"#{fragment}" if fragment else ""
    if file is not None and file.inclusion.is_excluded():
        return excluded(file)
    if file is not None:
        return "missing-page", f"`{target}` is in the docs but missing from the build (a stale --site-dir?)", None
    same_case = {f.src_uri.lower(): f for f in ctx.files}.get(target.lower())
    if same_case is not None:
        return ("case-mismatch", f"`{target}` differs in case from `{same_case.src_uri}`; a Linux server would 404",
                relative_source(same_case.src_uri, page.src_uri) + suffix)
    is_page = target.endswith(".md") or not posixpath.splitext(target)[1]
    pool = [f.src_uri for f in ctx.files if f.inclusion.is_included() and (f.is_documentation_page() == is_page)]
    close = closest(target, pool)
    suggestion = relative_source(close, page.src_uri) + suffix if close else None
    kind = "missing-page" if is_page else "missing-file"
    return kind, f"`{target}` does not exist in docs_dir", suggestion


def relative_source(src_uri: str, from_src_uri: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(from_src_uri) or ".")


def excluded(file: File):
    why = "a draft (draft_docs)" if file.inclusion == InclusionLevel.DRAFT else "excluded from the build (exclude_docs)"
    return "excluded-target", f"`{file.src_uri}` is {why}", None


def diagnose_site_link(ctx: Context, problem: Problem, value: str):
    """A URL the browser resolves from the page's URL: raw HTML, diagrams, theme."""
    site, path = ctx.site, problem.site_path
    page_url = page_url_of(problem)
    if problem.reason == "above-root" and urlsplit(value).path.startswith("/"):
        suggestion = site.prefix + quote(path) if site.served(path) else None
        return "outside-site", f"absolute path outside the site's folder `{site.prefix}` (site_url)", suggestion
    if problem.reason == "above-root":
        suggestion = url_suggestion(path, page_url, problem.fragment) if site.served(path) else None
        return ("wrong-depth", "climbs above the site root: it breaks when the site is served from a sub-folder",
                suggestion)
    file = site.by_url.get(path) or ctx.files.get_file_from_path(path)
    if file is not None and file.inclusion.is_excluded():
        return excluded(file)
    actual = site.served_ignoring_case(path)
    if actual is not None:
        return ("case-mismatch", f"`{path}` differs in case from `{actual}`; a Linux server would 404",
                url_suggestion(url_of_served(actual), page_url, problem.fragment))
    if path.endswith(".md") and problem.page is not None:
        source = ctx.files.get_file_from_path(source_target(problem.page.src_uri, unquote(urlsplit(value).path)))
        if source is not None and source.inclusion.is_included():
            return ("missing-page", "links to a Markdown source, which is not served: MkDocs rewrites only "
                    "Markdown links, not raw HTML or diagrams", url_suggestion(source.url, page_url, problem.fragment))
    suggestion = depth_suggestion(site, value, problem) or close_suggestion(site, path, page_url, problem.fragment)
    is_page = path == "" or path.endswith(("/", ".html", ".md")) or not posixpath.splitext(path)[1]
    kind = "missing-page" if is_page else "missing-file"
    return kind, f"nothing is served at `{path or '/'}`", suggestion


def page_url_of(problem: Problem) -> str:
    return problem.page.url if problem.page is not None else ""


def url_of_served(served: str) -> str:
    return served[: -len("index.html")] if served.endswith("index.html") else served


def url_suggestion(path: str, page_url: str, fragment: str) -> str:
    """The URL of a site path as written on the page at page_url."""
    return quote(get_relative_url(path, page_url)) + (f"#{quote(fragment)}" if fragment else "")


def depth_suggestion(site: Site, value: str, problem: Problem) -> str | None:
    """The usual mistakes in raw HTML: a '../' too many or too few, or the
    other URL style; try those."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    page_dir = posixpath.dirname(problem.page_path)
    stripped = parts.path
    variants = ["../" + parts.path, "../../" + parts.path]
    while stripped.startswith("../"):
        stripped = stripped[3:]
        variants.append(stripped)
    # The other URL style: 'page/' where the site has 'page.html', and back.
    if parts.path.endswith("/") and parts.path.strip("./"):
        variants.append(parts.path.rstrip("/") + ".html")
    elif parts.path.endswith(".html"):
        variants.append(parts.path[: -len(".html")] + "/")
    for variant in variants:
        target = site.locate(variant, page_dir, problem.page_path)
        if not target.above_root and site.served(target.path):
            return urlunsplit(parts._replace(path=variant))
    return None


def close_suggestion(site: Site, path: str, page_url: str, fragment: str) -> str | None:
    pages = sorted({url_of_served(p) for p in site.paths if p.endswith(".html")})
    pool = pages if (path.endswith("/") or not posixpath.splitext(path)[1]) else sorted(site.paths)
    close = closest(path, pool)
    return url_suggestion(close, page_url, fragment) if close else None


def closest(path: str, candidates: list[str]) -> str | None:
    """The candidate most like path, if alike both as a whole and in its last
    part (so that `guide/gone.md` does not suggest `guide/index.md`)."""
    def last(p):
        return posixpath.basename(p.rstrip("/"))

    for match in difflib.get_close_matches(path, candidates, n=3, cutoff=0.75):
        if difflib.SequenceMatcher(None, last(path), last(match)).ratio() >= 0.7:
            return match
    return None


# --- nav, redirects, orphans ------------------------------------------------------


def config_scalar_lines(config_file: str, section: str) -> dict[str, list[int]]:
    """Line numbers of the string values under a top-level key of the config,
    from YAML's own node positions (the config's custom tags are not run)."""
    try:
        root = yaml.compose(Path(config_file).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return {}
    lines: dict[str, list[int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == section:
            collect_scalar_lines(value, lines)
    return lines


def collect_scalar_lines(node, lines: dict[str, list[int]]) -> None:
    if isinstance(node, yaml.ScalarNode):
        lines.setdefault(node.value, []).append(node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            collect_scalar_lines(item, lines)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            collect_scalar_lines(key, lines)
            collect_scalar_lines(value, lines)


def nav_entries(nav) -> list[str]:
    """Every path or URL of the nav, in order."""
    out = []
    for item in nav or []:
        if isinstance(item, dict):
            for value in item.values():
                out += nav_entries(value) if isinstance(value, list) else [value]
        elif isinstance(item, list):
            out += nav_entries(item)
        elif isinstance(item, str):
            out.append(item)
    return [str(v) for v in out if v is not None]


@dataclass
class ConfigChecks:
    findings: list
    claimed: set  # site paths of broken nav entries, also rendered in the theme's nav
    in_nav: set  # src_uris of pages in the nav
    links: int


def check_nav(ctx: Context) -> ConfigChecks:
    result = ConfigChecks([], set(), set(), 0)
    for entry in nav_entries(ctx.config.nav):
        parts = urlsplit(entry)
        if parts.scheme or parts.netloc:
            continue  # external nav links are checked where the theme renders them
        result.links += 1
        problem = check_nav_entry(ctx, entry, result)
        if problem:
            result.findings.append(make_finding(ctx.config_name, ctx.config_line("nav", entry), entry, *problem))
    return result


def check_nav_entry(ctx: Context, entry: str, result: ConfigChecks):
    """(kind, message, suggestion) for a broken nav entry, else None."""
    # MkDocs looks the whole entry up among the docs files, '#' and all.
    lookup = entry.lstrip("/") if absolute_links_relative_to_docs(ctx.config, "nav") else entry
    file = ctx.files.get_file_from_path(lookup)
    if file is not None and not file.inclusion.is_excluded():
        result.in_nav.add(file.src_uri)
        return None
    path, _, fragment = lookup.partition("#")
    if entry.startswith("/") or not path.endswith(".md") and ctx.site.served(path):
        return None  # a URL into the built site: the theme renders it and the scan checks it
    # MkDocs renders the entry into every page's nav: those links are this finding.
    result.claimed.add(path.rstrip("/"))
    if file is not None:
        result.claimed.add(file.url.rstrip("/"))
        return excluded(file)
    page = ctx.files.get_file_from_path(path)
    if fragment and page is not None and not page.inclusion.is_excluded():
        return ("nav-missing", "MkDocs does not resolve a `#fragment` in a nav path: it links to the Markdown "
                "file itself", url_suggestion(page.url, "", fragment))
    same_case = {f.src_uri.lower(): f for f in ctx.files}.get(path.lower())
    if same_case is not None:
        return "case-mismatch", f"`{path}` differs in case from `{same_case.src_uri}`", same_case.src_uri
    return "nav-missing", f"nav entry `{path}` is not a file in docs_dir", close_page(ctx, path, fragment)


def close_page(ctx: Context, src_uri: str, fragment: str = "") -> str | None:
    """The docs page whose path is most like src_uri, as a suggestion."""
    pages = [f.src_uri for f in ctx.files.documentation_pages()]
    close = closest(src_uri, pages)
    return close + (f"#{fragment}" if fragment else "") if close else None


def check_redirects(ctx: Context) -> tuple[list[Finding], int]:
    """Targets of the mkdocs-redirects plugin's redirect_maps, if it is used."""
    findings, count = [], 0
    for old, new in ctx.redirect_maps.items():
        new = str(new)
        if urlsplit(new).scheme:
            continue
        count += 1
        problem = check_redirect(ctx, str(old), new)
        if problem:
            findings.append(make_finding(ctx.config_name, ctx.config_line("plugins", new, old), new, *problem))
    return findings, count


def check_redirect(ctx: Context, old: str, new: str):
    path, _, fragment = new.partition("#")
    file = ctx.files.get_file_from_path(path)
    if file is None or not file.is_documentation_page() or file.inclusion.is_excluded():
        message = f"redirect from `{old}` goes to `{path}`, which is not a page of the site"
        return "redirect-missing", message, close_page(ctx, path, fragment)
    if fragment and ctx.site.served(file.url) and not ctx.site.has_fragment(file.dest_uri, fragment):
        return "missing-anchor", f"redirect from `{old}`: {file.src_uri} has no heading or id `{fragment}`", None
    return None


def find_orphans(ctx: Context, linked: set[str], in_nav: set[str]) -> list[Finding]:
    """Pages that neither the nav nor any other page links to. Without a `nav`
    in the config MkDocs lists every page, and `not_in_nav` pages are meant to
    stand alone, so neither is reported."""
    if ctx.config.nav is None:
        return []
    findings = []
    for file in ctx.files.documentation_pages():
        if file.dest_uri == "index.html" or file.inclusion == InclusionLevel.NOT_IN_NAV:
            continue
        if file.src_uri not in in_nav and file.dest_uri not in linked and ctx.site.served(file.url):
            findings.append(Finding(file.src_uri, None, file.url or "/", "orphan",
                                    "neither the nav nor any other page links to this page"))
    return findings


# --- running ---------------------------------------------------------------------


@contextlib.contextmanager
def quiet_mkdocs():
    """Silence MkDocs' own log (its link warnings are a subset of ours) but keep
    its errors, to report a failing config or build in one line."""
    errors: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler, saved = Keep(), (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    try:
        yield errors
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


@dataclass
class Project:
    config: MkDocsConfig
    redirect_maps: dict  # old page -> new, from the mkdocs-redirects plugin


def load_project(config_file: str, site_dir: str, with_plugins: bool) -> Project:
    """Load and validate the config as `mkdocs build` does. Checking a finished
    build needs its paths and Markdown settings but not its plugins and hooks,
    which are then left out: importing them would double the run time."""
    if not Path(config_file).is_file():
        raise UsageError(f"config file not found: {config_file}")
    overrides = {"site_dir": site_dir}
    if not with_plugins:
        overrides.update(plugins=[], hooks=[])
    with quiet_mkdocs() as logged:
        try:
            config = MkDocsConfig(config_file_path=config_file)
            with open(config_file, "rb") as fd:
                config.load_file(fd)
            redirects = redirect_maps(config.get("plugins"))
            config.load_dict(overrides)
            errors, _ = config.validate()
        except (MkDocsException, yaml.YAMLError, OSError, ImportError) as err:
            raise UsageError(f"{config_file}: {one_line(logged[0] if logged else err)}") from None
    if errors:
        name, error = errors[0]
        raise UsageError(f"{config_file}: config value '{name}': {one_line(error)}")
    return Project(config, redirects)


def one_line(message) -> str:
    return " ".join(str(message).split())


def redirect_maps(plugins) -> dict:
    """redirect_maps of the `redirects` plugin in the raw `plugins` setting
    (a list of names and one-key mappings, or a mapping)."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins or [])
    for name, options in entries:
        if name == "redirects" and isinstance(options, dict):
            return dict(options.get("redirect_maps") or {})
    return {}


def build_site(config: MkDocsConfig) -> Files:
    """Build with MkDocs' Python API into config.site_dir, as `mkdocs build`
    does, and return the docs files as the plugins left them."""
    from mkdocs.commands.build import build
    from mkdocs.plugins import BasePlugin, event_priority

    class CaptureFiles(BasePlugin):
        files = None

        @event_priority(-1000)  # last, after every plugin has changed them
        def on_files(self, files, config):
            self.files = files
            return files

    config.strict = False  # MkDocs' own warnings must not stop the build
    capture = CaptureFiles()
    config.plugins["check-links-capture-files"] = capture
    with quiet_mkdocs() as logged:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except Exception as err:  # any plugin or hook may raise anything
            reason = logged[-1] if logged else f"{type(err).__name__}: {err}"
            raise UsageError(f"build failed: {one_line(reason)}") from None
    return capture.files


def pages_to_check(site: Site, config, files: Files) -> list[tuple[File | None, str]]:
    """Every built documentation page, then every other built HTML file: theme
    pages such as 404.html, and pages that plugins and hooks generate, which
    the docs folder alone (a check of --site-dir) does not list."""
    pages = [(f, f.dest_uri) for f in files.documentation_pages() if f.dest_uri in site.paths]
    taken = {path for _, path in pages}
    pages += [(None, path) for path in sorted(site.paths) if path.endswith(".html") and path not in taken]
    return pages


def check(project: Project, site_dir: Path, files: Files, want_external: bool) -> tuple[list[Finding], dict]:
    config = project.config
    site = Site(site_dir, config, files)
    ctx = Context(config, files, site, Path(config.config_file_path).name, project.redirect_maps)
    scan = scan_pages(site, pages_to_check(site, config, files), want_external)
    problems = scan.problems + (check_external(scan) if want_external else [])
    nav = check_nav(ctx)
    redirect_findings, redirects = check_redirects(ctx)
    findings = nav.findings + redirect_findings + trace_problems(ctx, problems, nav.claimed)
    findings += find_orphans(ctx, scan.linked, nav.in_nav)
    findings += check_contract(config, site, files)
    findings.sort(key=lambda f: (f.file, f.line or 0, f.kind, f.target))
    return findings, {"pages": scan.pages, "links": scan.links + nav.links + redirects}


def check_contract(config, site: Site, files: Files) -> list[Finding]:
    """This project's URL contract (scripts/url_contract.py): urls.txt beside mkdocs.yml."""
    config_file = Path(config.config_file_path)
    contract = config_file.with_name("urls.txt")
    if config_file.name != "mkdocs.yml" or not contract.is_file():
        return []
    import url_contract  # beside this script; only this project has a contract

    docs = Path(os.path.relpath(config.docs_dir, config_file.parent)).as_posix()
    sources = {"/" + f.url: f"{docs}/{f.src_uri}" for f in files.documentation_pages()}
    broken = url_contract.check(contract, site.root, lambda path: site.parsed(path).ids, sources)
    return [Finding(contract.name, f.line, f.entry, f.kind, f.message) for f in broken]


def run(args) -> tuple[list[Finding], dict]:
    config_file = os.path.abspath(args.config_file)
    if args.site_dir and not os.path.isdir(args.site_dir):
        raise UsageError(f"site folder not found: {args.site_dir}")
    with contextlib.ExitStack() as stack:
        site_dir = os.path.abspath(args.site_dir) if args.site_dir else stack.enter_context(
            tempfile.TemporaryDirectory(prefix="check-links-"))
        project = load_project(config_file, site_dir, with_plugins=not args.site_dir)
        # Extensions such as pymdownx.snippets resolve paths from the folder
        # that `mkdocs build` runs in: the project's.
        stack.enter_context(contextlib.chdir(os.path.dirname(config_file)))
        files = get_files(project.config) if args.site_dir else build_site(project.config)
        return check(project, Path(site_dir), files, args.external)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="check_links.py",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__[__doc__.index("Using it on another MkDocs project"):],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-f", "--config-file", metavar="CONFIG", default="mkdocs.yml",
                        help="the MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--site-dir", metavar="DIR", help="check this existing build instead of building the site")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")
    parser.add_argument("--external", action="store_true", help="also fetch http(s) links")
    return parser.parse_args(argv)


def print_report(findings: list[Finding], checked: dict, seconds: float, fmt: str) -> None:
    if fmt == "json":
        report = {"findings": [asdict(f) for f in findings], "checked": checked, "seconds": round(seconds, 3)}
        print(json.dumps(report, indent=2))
        return
    for f in findings:
        print(f"{f.file}:{f.line if f.line else '-'}: {f.kind}: {f.target}: {f.message}")
    what = f"{checked['pages']} pages and {checked['links']} links in {seconds:.2f} s"
    print(f"{len(findings)} finding(s) in {what}" if findings else f"no findings: checked {what}")


def main(argv=None) -> int:
    start = time.perf_counter()
    args = parse_args(argv)  # exits 2 itself on a bad command line
    try:
        findings, checked = run(args)
    except UsageError as err:
        print(f"check_links.py: error: {err}", file=sys.stderr)
        return 2
    print_report(findings, checked, time.perf_counter() - start, args.format)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
