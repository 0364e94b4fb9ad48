"""Parse every mermaid diagram of a built site with the site's own mermaid.

    python scripts/check_diagrams.py [--site-dir DIR] [-f mkdocs.yml]

A build does not notice a broken diagram: the page ships, and the reader sees
an error box. This script loads the vendored mermaid (the same file readers
get) in headless Chromium, calls mermaid.parse() on the source of every
`div.mermaid` in every built page, and reports each failure as

    <page url> (<source file>): diagram <n>, line <l>: <parser message>

all failures in one run. Exit 0 when every diagram parses, 1 when one does not,
2 when the site or the browser cannot be found. Without --site-dir it builds
the site first (strict) into a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
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


class _MermaidBlocks(HTMLParser):
    """Collects the text of every <div class="mermaid"> (mermaid2's fence output)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.raw_tags: list[tuple[int, str]] = []  # (diagram number, tag name)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            # The fence escapes diagram source, so a tag here is markup the
            # browser would swallow before mermaid sees it (e.g. `<<interface>>`).
            self.raw_tags.append((len(self.blocks), tag))
            self._depth += tag == "div"
        elif tag == "div" and "mermaid" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.blocks.append("")

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.blocks[-1] += data


def diagrams_in(site_dir: Path) -> tuple[list[Diagram], list[Failure]]:
    """Every diagram's source, and a failure for each one holding raw HTML tags."""
    found, raw = [], []
    for html in sorted(site_dir.rglob("*.html")):
        parser = _MermaidBlocks()
        parser.feed(html.read_text(encoding="utf-8"))
        page = html.relative_to(site_dir).as_posix().removesuffix("index.html")
        diagrams = [Diagram(page, i, src.strip("\n")) for i, src in enumerate(parser.blocks, 1)]
        found += diagrams
        raw += [Failure(diagrams[n - 1], None, f"raw HTML tag <{tag}> in the diagram: the browser reads it as markup, "
                        "so mermaid never sees it (is the fence escaping its source?)") for n, tag in parser.raw_tags]
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


def parse_all(site_dir: Path, diagrams: list[Diagram]) -> list[Failure]:
    from playwright.sync_api import sync_playwright

    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        block_other_hosts(context, base)
        page = context.new_page()
        page.goto(base + "404.html")  # any same-origin page lets us import the module
        results = page.evaluate(PARSE_ALL, {"url": base + MERMAID, "sources": [d.source for d in diagrams]})
        browser.close()
    failures = []
    for diagram, message in zip(diagrams, results):
        if message is not None:
            match = LINE.search(message)
            failures.append(Failure(diagram, int(match.group(1)) if match else None, " ".join(message.split())))
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Parse every mermaid diagram of a built MkDocs site.")
    parser.add_argument("--site-dir", type=Path, help="an existing build (default: build into a temporary folder)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
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
        try:
            failures += parse_all(site_dir, diagrams) if diagrams else []
        except FileNotFoundError as err:
            print(f"check_diagrams: {err}", file=sys.stderr)
            return 2
    for failure in failures:
        print(failure)
    pages = len({d.page for d in diagrams})
    print(f"{len(diagrams) - len(failures)} of {len(diagrams)} diagrams on {pages} pages parse; "
          f"{len(failures)} failed ({time.perf_counter() - started:.2f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
