#!/usr/bin/env python3
"""The URL contract: every URL the site has published, and every heading id on each page.

Team wikis, bookmarks and search engines link to the site's pages and to their
headings. urls.txt, at the project root beside mkdocs.yml and committed, lists
each such URL once, one to a line, sorted (a page, then its anchors):

    /component/raft/
    /component/raft/#leader-election
    /raft-and-the-nature-of-time.html    (a legacy address: mkdocs-redirects)
    /diagrams.json                       (a machine-readable file)

What counts as published: every HTML page of the build (404.html aside),
legacy redirects included; every other file outside assets/ (diagrams.json,
topics.json, llms.txt, sitemap.xml, the search index, the examples); the
files a later step of publishing adds (AFTER_BUILD: the PDF); and every
heading id of every page. Not assets/: the theme's files and the drawings are
named by their content and are not addresses anyone keeps.

    python scripts/url_contract.py [--site-dir DIR] [--contract FILE]   (make urls)

adds what the build publishes and the contract does not list yet, and never
removes a line: retiring a URL on purpose is an edit of urls.txt, which a
reviewer sees. It also lists the entries the build no longer serves.

scripts/check_links.py, run with this project's mkdocs.yml (the default),
calls check() and reports, against urls.txt:<line>, each listed page that the
build no longer serves (a redirect in mkdocs.yml's redirect_maps serves it),
each listed anchor that is no id of its page any more (an alias counts: an
element with the old id, e.g. <div id="old-id"></div> above the renamed
heading; an anchor of a page that now redirects is looked for on the page it
redirects to, since the redirect keeps the #fragment), and each listed file
the build no longer writes.

Standard library only, as check_links.py needs it.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from archnotes.editions import PDF_FILE

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = "urls.txt"
# Published by a later step than the build, so a build alone does not hold them:
# file -> the step. Checked whenever the build holds them (make test checks the
# site after `make pdf`).
AFTER_BUILD = {PDF_FILE: "make pdf"}
UNPUBLISHED_FOLDERS = ("assets/",)
UNPUBLISHED_FILES = {"404.html"}
HEADER = """\
# The URL contract: every URL this site has published, and every heading id of each page.
# Written by `make urls` (scripts/url_contract.py), which only adds lines; checked by
# scripts/check_links.py. To retire a URL on purpose, delete its line here; to rename a
# heading, keep its old id as an alias (see CONTRIBUTING.md, "Links that never break").
"""
REFRESH = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]*)"', re.I)


class ContractError(Exception):
    """A bad site folder or contract file: exit 2."""


@dataclass(frozen=True)
class Finding:
    line: int  # of the entry in the contract
    entry: str
    kind: str  # contract-page | contract-anchor | contract-file
    message: str


# --- reading a build ------------------------------------------------------------------

class PageIds(HTMLParser):
    """The ids of a page: all of them (any can be a link's target), and its headings'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.headings: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")
                if name == "id" and tag in ("h1", "h2", "h3", "h4", "h5", "h6") and value:
                    self.headings.append(value)


def page_ids(path: Path) -> PageIds:
    parser = PageIds()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def url_of(path: str) -> str:
    """A built file's URL, from the site root: component/raft/index.html -> /component/raft/."""
    return "/" + (path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path)


def file_of(url: str) -> str:
    """The built file a server sends for a URL path: /component/raft/ -> component/raft/index.html."""
    path = unquote(url).lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def built_files(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())


def published(site_dir: Path) -> list[str]:
    """Every entry the build publishes (see the module docstring)."""
    entries = set(url_of(name) for name in AFTER_BUILD)
    for name in built_files(site_dir):
        if name in UNPUBLISHED_FILES or name.startswith(UNPUBLISHED_FOLDERS):
            continue
        url = url_of(name)
        entries.add(url)
        if name.endswith(".html"):
            entries.update(f"{url}#{anchor}" for anchor in page_ids(site_dir / name).headings)
    return sorted(entries, key=sort_key)


def sort_key(entry: str) -> tuple[str, str]:
    """A page's anchors right after the page."""
    url, _, fragment = entry.partition("#")
    return url, fragment


# --- the contract file ---------------------------------------------------------------------

def read_contract(path: Path) -> list[tuple[int, str]]:
    """(line, entry) for each entry; blank lines and # comments are skipped."""
    if not path.is_file():
        raise ContractError(f"no URL contract at {path} (make urls writes it)")
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if not entry.startswith("/") or " " in entry:
            raise ContractError(f"{path.name}:{number}: `{entry}` is not a URL path from the site root (/page/#id)")
        entries.append((number, entry))
    return entries


def write_contract(path: Path, entries: list[str]) -> None:
    path.write_text(HEADER + "".join(f"{e}\n" for e in sorted(set(entries), key=sort_key)), encoding="utf-8")


# --- checking a build against it ---------------------------------------------------------------

def check(contract: Path, site_dir: Path, ids: Callable[[str], set[str]] | None = None,
          sources: dict[str, str] | None = None) -> list[Finding]:
    """Each contract entry that the build at site_dir breaks.

    ids(file): the ids of a built HTML file (check_links.py passes the pages it
    has parsed already); sources: a page's URL (/component/raft/) -> the
    Markdown file that writes it, to name in a finding."""
    files = set(built_files(site_dir))
    known: dict[str, set[str]] = {}

    def ids_of(name: str) -> set[str]:
        if name not in known:
            known[name] = ids(name) if ids else page_ids(site_dir / name).ids
        return known[name]

    findings, gone = [], set()
    for line, entry in read_contract(contract):
        url, _, fragment = entry.partition("#")
        name = file_of(url)
        if name not in files:
            if name in AFTER_BUILD or url in gone:
                continue  # made by a later step (AFTER_BUILD), or a page already reported
            gone.add(url)
            if name.endswith(".html"):
                findings.append(Finding(line, entry, "contract-page", (
                    f"a published page that the build no longer serves: add a redirect from it in mkdocs.yml "
                    f"(redirect_maps), or delete its lines (the page and its anchors) from {contract.name} "
                    "to retire it on purpose")))
            else:
                findings.append(Finding(line, entry, "contract-file", (
                    f"a published file that the build no longer writes; delete its line from {contract.name} "
                    f"to retire it on purpose")))
            continue
        if not fragment:
            continue
        landing = follow_redirects(site_dir, name, files)
        if landing is None or unquote(fragment) in ids_of(landing):
            continue
        findings.append(Finding(line, entry, "contract-anchor", anchor_message(
            landing, unquote(fragment), ids_of(landing), (sources or {}).get(url_of(landing)), contract.name)))
    return findings


def follow_redirects(site_dir: Path, name: str, files: set[str], hops: int = 5) -> str | None:
    """The page a reader lands on: a redirect page (mkdocs-redirects: a meta
    refresh) sends on to its target, #fragment kept; None if that is not built."""
    for _ in range(hops):
        if not name.endswith(".html"):
            return None
        text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
        match = REFRESH.search(text[:4000])
        if match is None:
            return name
        target = urlsplit(urljoin("http://site/" + url_of(name).lstrip("/"), match[1]))
        if target.netloc != "site":
            return None  # a redirect to another site: nothing of ours to check
        name = file_of(target.path)
        if name not in files:
            return None  # a broken redirect: check_links reports it against mkdocs.yml
    return name


def anchor_message(page: str, fragment: str, ids: set[str], source: str | None, contract: str) -> str:
    where = source or url_of(page)
    close = difflib.get_close_matches(fragment, sorted(i for i in ids if not i.startswith("__")), n=1, cutoff=0.6)
    renamed = f" (renamed `{close[0]}`?)" if close else ""
    return (f"{where} has no heading or id `{fragment}` any more{renamed}: keep the old id as an alias "
            f'(<div id="{fragment}"></div> right above the heading), or delete the line from {contract} '
            "to retire it on purpose")


# --- make urls ----------------------------------------------------------------------------------

def update(contract: Path, site_dir: Path) -> tuple[list[str], list[Finding]]:
    """Add the build's new entries to the contract: (added, entries the build breaks)."""
    if not site_dir.is_dir() or not any(site_dir.rglob("*.html")):
        raise ContractError(f"{site_dir} is not a built site (no HTML pages): run `make build` first")
    listed = [entry for _, entry in read_contract(contract)] if contract.is_file() else []
    added = [e for e in published(site_dir) if e not in set(listed)]
    if added or not contract.is_file():
        write_contract(contract, listed + added)
    return added, check(contract, site_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="url_contract.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", default=str(ROOT / "site"), help="the built site (default: site)")
    parser.add_argument("--contract", default=str(ROOT / CONTRACT), help=f"the contract file (default: {CONTRACT})")
    args = parser.parse_args(argv)
    contract = Path(args.contract)
    try:
        added, broken = update(contract, Path(args.site_dir))
    except ContractError as err:
        print(f"url_contract.py: error: {err}", file=sys.stderr)
        return 2
    for entry in added:
        print(f"added {entry}")
    for f in broken:
        print(f"{contract.name}:{f.line}: {f.kind}: {f.entry}: {f.message}")
    print(f"{contract.name}: {len(added)} entries added, {len(broken)} listed entries the build breaks"
          + (" (scripts/check_links.py reports them too)" if broken else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
