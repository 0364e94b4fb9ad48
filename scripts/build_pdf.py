"""Make the PDF edition: every page of the nav in one PDF, at the root of a built site.

    python scripts/build_pdf.py --site-dir site        (make pdf)

Builds mkdocs-pdf.yml (hooks/print_page.py: the whole site as one document at
/print/, links to the site absolute) into a scratch folder, serves it on a free
port of 127.0.0.1 (as a browser loads the site's ES modules only over http),
opens /print/ in headless Chromium (src/archnotes/browser.py) and prints it, on A4 with
page numbers, bookmarks from the headings and tags for screen readers, to
SITE_DIR/architecture-notes.pdf. Then the site's /print/ page gets its link to
it, with its size and number of pages (in the <span class="pdf-edition"> that
hooks/print_page.py leaves for them), so that a reader on a phone knows what
the link costs; a build without the PDF has no link to it. Run this after
`make build`.

The document's diagrams arrive drawn (inline SVG: the strict build of
mkdocs-pdf.yml fails on one not drawn, naming its file and line) and nothing
loads from another host; a request to one stops it. Exit status: 0 done, 1
the PDF could not be made, 2 bad usage (SITE_DIR is not a built site, or its
/print/ has no place for the PDF's link).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from archnotes.browser import block_other_hosts, launch
from archnotes.editions import PDF as EDITION
from archnotes.editions import PDF_FILE as PDF
from archnotes.editions import PRINT_URL as DOCUMENT
from archnotes.editions import config_path
from archnotes.serve_site import serving

ROOT = Path(__file__).resolve().parents[1]
CONFIG = config_path(EDITION)
# On the web edition's /print/: where the link goes (hooks/print_page.py), empty
# or holding the link of an earlier run.
PLACE = re.compile(r'<span class="pdf-edition" data-href="([^"]+)">(?:(?!</span>).)*</span>', re.S)
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "14mm", "right": "14mm"}
# Chromium fills these in; each needs its own font size (its default is tiny).
FOOTER = ('<div style="font: 9px sans-serif; color: #555; width: 100%; text-align: center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


class PdfError(Exception):
    pass


def build_document(out_dir: Path) -> None:
    """mkdocs build --strict -f mkdocs-pdf.yml into out_dir."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    # No -q: it would hide the warning that --strict fails on.
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG),
                           "--site-dir", str(out_dir)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        output = "\n".join(line for line in (done.stdout + done.stderr).splitlines() if not line.startswith("INFO"))
        raise PdfError(f"building {CONFIG.name} failed:\n{output}")


def print_pdf(edition_dir: Path, pdf: Path) -> None:
    """Print the PDF edition's build (edition_dir) to pdf, in a Chromium of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            print_document(browser, edition_dir, pdf)
        finally:
            browser.close()


def print_document(browser, edition_dir: Path, pdf: Path) -> None:
    """Serve edition_dir, open its document in browser (Playwright), print it to pdf."""
    with serving(edition_dir, 0) as base:
        context = browser.new_context()
        try:
            other_hosts = block_other_hosts(context, base)
            page = context.new_page()
            page.goto(base + DOCUMENT, wait_until="load")
            if other_hosts:
                raise PdfError(f"/{DOCUMENT} requested another host: {other_hosts[:5]}")
            # The PDF's title is the site's name, not "<name> - <name>".
            page.evaluate("document.title = document.querySelector('h1').textContent.replace(/\u00b6$/, '').trim()")
            page.pdf(path=str(pdf), format="A4", margin=MARGIN, print_background=True, outline=True, tagged=True,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER)
        finally:
            context.close()


def make_pdf(site_dir: Path) -> Path:
    if not (site_dir / "index.html").is_file():
        raise ValueError(f"{site_dir} is not a built site (no index.html); run `make build` first")
    page = print_page(site_dir)
    pdf = site_dir / PDF
    with tempfile.TemporaryDirectory(prefix="pdf-edition-") as scratch:
        build_document(Path(scratch))
        partial = pdf.with_suffix(".pdf.part")  # a failed run leaves the last good PDF in place
        try:
            print_pdf(Path(scratch), partial)
            partial.replace(pdf)
        finally:
            partial.unlink(missing_ok=True)
    label_link(page, pdf)
    return pdf


def print_page(site_dir: Path) -> Path:
    """The web edition's /print/, which must have the place for the PDF's link."""
    page = site_dir / "print" / "index.html"
    if not page.is_file() or len(PLACE.findall(page.read_text(encoding="utf-8"))) != 1:
        raise ValueError(f"{page} has no <span class=\"pdf-edition\"> (hooks/print_page.py) for the PDF's link")
    return page


def label_link(page: Path, pdf: Path) -> None:
    """Write the link to the PDF, with its size and number of pages, into the print page."""
    facts = f"(PDF, {pdf.stat().st_size / 1e6:.1f} MB, {len(PdfReader(pdf).pages)} pages)"
    html = PLACE.sub(lambda m: f'<span class="pdf-edition" data-href="{m[1]}"><strong><a href="{m[1]}">{pdf.name}</a>'
                               f'</strong> {facts}</span>', page.read_text(encoding="utf-8"))
    page.write_text(html, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="the built site (default: site)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        pdf = make_pdf(args.site_dir)
    except ValueError as err:
        print(f"build_pdf: {err}", file=sys.stderr)
        return 2
    except PdfError as err:
        print(f"build_pdf: {err}", file=sys.stderr)
        return 1
    print(f"build_pdf: wrote {pdf} ({pdf.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
