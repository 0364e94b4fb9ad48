"""Parse every mermaid diagram of a built site with the site's own mermaid.

    python scripts/check_diagrams.py [--site-dir DIR] [-f mkdocs.yml] [--all]

A build does not notice a broken diagram: the page ships, and the reader sees
an error box. This script loads the vendored mermaid (the same file readers
get) in headless Chromium, calls mermaid.parse() on the source of every
diagram in the built pages, and reports each failure as

    <page url> (<source file>): diagram <n>, line <l>: <parser message>

all failures in one run. A diagram drawn before the build (hooks/diagrams.py)
parsed when it was drawn: its drawing is named after its source and the
mermaid version, so only the others are parsed again, unless --all.
Exit 0 when every diagram parses, 1 when one does not,
2 when the site or the browser cannot be found. Without --site-dir it builds
the site first (strict) into a temporary folder.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import block_other_hosts, launch  # noqa: E402
from serve_site import serving  # noqa: E402
from sitebuild import build  # noqa: E402

MERMAID = "assets/javascripts/mermaid/mermaid.esm.min.mjs"
LINE = re.compile(r"line (\d+)", re.I)


@dataclass
class Diagram:
    page: str  # URL path of the page, relative to the site root
    number: int  # 1-based position on the page
    source: str
    drawn: bool = False  # drawn before the build (hooks/diagrams.py), so parsed when it was drawn


@dataclass
class Failure:
    diagram: Diagram
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "line ?"
        return f"{self.diagram.page or '/'} ({source_file(self.diagram.page)}): diagram {self.diagram.number}, {where}: {self.message}"


def source_file(page_url: str) -> str:
    """Best guess of the Markdown file behind a page URL (use_directory_urls)."""
    stem = page_url.rstrip("/")
    return f"docs/{stem}.md" if stem else "docs/index.md"


# A diagram's source, HTML-escaped by the fence: the content of a
# <div class="mermaid"> (a diagram the browser draws) or of the
# <template class="diagram__source"> of one drawn before the build (hooks/diagrams.py).
SOURCE = re.compile(r'<div class="mermaid"[^>]*>(.*?)</div>|<template class="diagram__source">(.*?)</template>', re.S)
TAG = re.compile(r"<([a-zA-Z][\w-]*)")


def diagrams_in(site_dir: Path) -> tuple[list[Diagram], list[Failure]]:
    """Every diagram's source, and a failure for each one holding raw HTML tags."""
    found, raw = [], []
    for html_file in sorted(site_dir.rglob("*.html")):
        page = html_file.relative_to(site_dir).as_posix().removesuffix("index.html")
        for number, match in enumerate(SOURCE.finditer(html_file.read_text(encoding="utf-8")), 1):
            escaped = match[1] if match[1] is not None else match[2]
            diagram = Diagram(page, number, html.unescape(escaped).strip("\n"), drawn=match[1] is None)
            found.append(diagram)
            # The fence escapes diagram source, so a tag here is markup the browser
            # would swallow before mermaid sees it (e.g. `<<interface>>`).
            raw += [Failure(diagram, None, f"raw HTML tag <{tag}> in the diagram: the browser reads it as markup, "
                            "so mermaid never sees it (is the fence escaping its source?)") for tag in TAG.findall(escaped)]
    return found, raw


PARSE_ALL = """
async ({url, sources}) => {
  const mermaid = (await import(url)).default;
  const results = [];
  for (const src of sources) {
    try { await mermaid.parse(src); results.push(null); }
    catch (e) { results.push(String(e && e.message || e)); }
  }
  return results;
}
"""
BLANK = "__check_diagrams__.html"  # a same-origin empty page, from which mermaid can be imported


def parse_all(site_dir: Path, diagrams: list[Diagram]) -> list[Failure]:
    from playwright.sync_api import sync_playwright

    unique = list(dict.fromkeys(d.source for d in diagrams))  # the print page repeats them
    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        block_other_hosts(context, base)
        context.route(base + BLANK, lambda r: r.fulfill(body="<!doctype html><title>check</title>", content_type="text/html"))
        page = context.new_page()
        page.goto(base + BLANK)
        results = dict(zip(unique, page.evaluate(PARSE_ALL, {"url": base + MERMAID, "sources": unique})))
        browser.close()
    failures = []
    for diagram in diagrams:
        message = results[diagram.source]
        if message is not None:
            match = LINE.search(message)
            failures.append(Failure(diagram, int(match.group(1)) if match else None, " ".join(message.split())))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Parse every mermaid diagram of a built MkDocs site.")
    parser.add_argument("--site-dir", type=Path, help="an existing build (default: build into a temporary folder)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("--all", action="store_true",
                        help="parse the diagrams drawn before the build too (they parsed when drawn)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = args.site_dir
        if site_dir is None:
            if not args.config_file.is_file():
                print(f"check_diagrams: no config file {args.config_file}", file=sys.stderr)
                return 2
            site_dir = Path(tmp)
            build(args.config_file, site_dir, strict=True)
        if not (site_dir / "index.html").is_file() or not (site_dir / MERMAID).is_file():
            print(f"check_diagrams: {site_dir} is not a built site with {MERMAID}", file=sys.stderr)
            return 2
        diagrams, failures = diagrams_in(site_dir)
        to_parse = [d for d in diagrams if args.all or not d.drawn]
        try:
            failures += parse_all(site_dir, to_parse) if to_parse else []
        except FileNotFoundError as err:
            print(f"check_diagrams: {err}", file=sys.stderr)
            return 2
    for failure in failures:
        print(failure)
    pages = len({d.page for d in diagrams})
    print(f"{len(diagrams) - len(failures)} of {len(diagrams)} diagrams on {pages} pages parse "
          f"({len(diagrams) - len(to_parse)} drawn before the build, parsed then; {len(to_parse)} parsed now); "
          f"{len(failures)} failed ({time.perf_counter() - started:.2f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
