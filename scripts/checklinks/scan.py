"""Which links of the built pages are broken (before they are traced to where they were written)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mkdocs.structure.files import File, Files

from .builtsite import Site, Target
from .pages import Link


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


@dataclass
class Scan:
    problems: list[Problem]
    external: list[tuple[Problem, str]]  # occurrence and URL, fetched with --external
    linked: set[str]  # site paths of pages that some other page links to
    pages: int
    links: int


def pages_to_check(site: Site, config, files: Files) -> list[tuple[File | None, str]]:
    """Every built documentation page, then every other built HTML file: theme
    pages such as 404.html, and pages that plugins and hooks generate, which
    the docs folder alone (a check of --site-dir) does not list. HTML that is a
    template (the theme's custom_dir kept under docs/, partials copied into
    the site) is not a page: a browser never gets it filled in."""
    pages = [(f, f.dest_uri) for f in files.documentation_pages() if f.dest_uri in site.paths]
    taken = {path for _, path in pages}
    copied = {f.dest_uri: f for f in files if not f.is_documentation_page()}
    custom_dir = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    for path in sorted(site.paths):
        if path.endswith(".html") and path not in taken and not is_template(site, path, copied.get(path), custom_dir):
            pages.append((None, path))
    return pages


def is_template(site: Site, path: str, file: File | None, custom_dir: Path | None) -> bool:
    """A file of the theme's custom_dir, or HTML with Jinja markup inside a tag
    or a `{% ... %}` statement on a line of its own."""
    if file is not None and file.abs_src_path and custom_dir is not None:
        if Path(file.abs_src_path).resolve().is_relative_to(custom_dir):
            return True
    return bool(JINJA.search((site.root / path).read_text(encoding="utf-8", errors="replace")))


# `<a href="{{ url }}">`, `<img {% if x %}...>`, or a line `{% block content %}`.
JINJA = re.compile(r"<[A-Za-z][^<>]*(?:\{\{|\{%)|^[ \t]*\{%", re.MULTILINE)


def scan_pages(site: Site, pages: list[tuple[File | None, str]], want_external: bool,
               exclude: Sequence[re.Pattern] = ()) -> Scan:
    scan = Scan([], [], set(), 0, 0)
    site.parse_all([page_path for _, page_path in pages])
    for page, page_path in pages:
        scan.pages += page is not None
        page_dir = posixpath.dirname(page_path)
        for link in site.parsed(page_path).links:
            target = site.locate(link.value, page_dir, page_path)
            if target.where == "skip" or (target.where == "external" and not want_external):
                continue
            if is_excluded(link.value, target, exclude):
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


def attach_pages(problems: list[Problem], files: Files) -> None:
    """Give each problem on a page that no docs file made the page that a
    plugin moved or generated there (files as the plugins left them)."""
    by_dest = {f.dest_uri: f for f in files.documentation_pages()}
    for problem in problems:
        if problem.page is None:
            problem.page = by_dest.get(problem.page_path)


def is_excluded(value: str, target: Target, exclude: Sequence[re.Pattern]) -> bool:
    """--exclude: a pattern found in the link as written, or in the site path
    (or URL) it resolves to, skips the link."""
    resolved = target.url if target.where == "external" else target.path
    return any(pattern.search(value) or pattern.search(resolved) for pattern in exclude)


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
