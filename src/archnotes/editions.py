"""The site's editions, defined once: which config builds each, and what each adds.

    web      mkdocs.yml          the site (make build, make serve)
    offline  mkdocs-offline.yml  read from disk, no server (make offline)
    pdf      mkdocs-pdf.yml      the one-page document that scripts/build_pdf.py
                                 prints to architecture-notes.pdf (make pdf)

A config names its edition as `extra: edition` (mkdocs.yml names none: web);
tests/site/test_editions_module.py checks that each config says what this
module says. Hooks (print_page, offline_edition, diagrams) and scripts
(render_diagrams, build_pdf, bench) import it; the Makefile asks it for a config:

    python src/archnotes/editions.py config offline      -> mkdocs-offline.yml
    python src/archnotes/editions.py site-dirs           -> site site-offline site-pdf

It also names the print page, which every edition has (hooks/print_page.py),
and the PDF that scripts/build_pdf.py prints it to.

No import but the standard library: the Makefile runs it with any Python 3.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Edition:
    name: str
    config: str  # relative to the project root
    site_dir: str  # where `mkdocs build -f CONFIG` writes it


EDITIONS = {
    "web": Edition("web", "mkdocs.yml", "site"),
    "offline": Edition("offline", "mkdocs-offline.yml", "site-offline"),
    "pdf": Edition("pdf", "mkdocs-pdf.yml", "site-pdf"),
}
WEB, OFFLINE, PDF = EDITIONS["web"], EDITIONS["offline"], EDITIONS["pdf"]
# The print page: a page hooks/print_page.py adds to every edition, its source
# path and its URL (with directory URLs: the web and PDF editions).
PRINT_URI = "print.md"
PRINT_URL = "print/"
# The file scripts/build_pdf.py prints the PDF edition to, at the root of the
# web edition, after the build; /print/ links to it once it is there.
PDF_FILE = "architecture-notes.pdf"


def edition_of(config) -> str:
    """The name of the edition a loaded MkDocs config builds."""
    return (config.extra or {}).get("edition") or WEB.name


def config_path(edition: Edition) -> Path:
    return ROOT / edition.config


def main(argv: list[str]) -> int:
    if argv[:1] == ["site-dirs"] and len(argv) == 1:
        print(" ".join(e.site_dir for e in EDITIONS.values()))
        return 0
    if len(argv) == 2 and argv[0] == "config" and argv[1] in EDITIONS:
        print(EDITIONS[argv[1]].config)
        return 0
    print(f"usage: editions.py config {{{','.join(EDITIONS)}}} | site-dirs", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
