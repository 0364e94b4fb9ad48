"""Parse every mermaid diagram of a built site with the site's own mermaid.

    python scripts/check_diagrams.py [--site-dir DIR] [-f mkdocs.yml] [--all]

A build does not notice a broken diagram: the page ships, and the reader sees
an error box. This script loads the vendored mermaid (the same file readers
get) in headless Chromium, calls mermaid.parse() on the source of every
diagram listed in the build's diagrams.json (hooks/diagrams.py), and reports
each failure where it is written, all failures in one run:

    docs/<file>.md:<line>: diagram <n> of /<page> does not parse: <parser message>

where <line> is the line of the Markdown file that mermaid's "line N" is.
A diagram drawn before the build parsed when it was drawn: its drawing is
named after its source and the mermaid version, so only the others are
parsed again, unless --all. The strict build (hooks/diagrams.py) parses
the undrawn ones with the same parse_sources() (src/archnotes/mermaid.py).
Exit 0 when every diagram parses, 1 when one does not, 2 when the site, its
manifest or the browser cannot be found. Without --site-dir it builds the
site first (strict) into a temporary folder.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from archnotes.diagram_data import Diagram, ManifestError, read_manifest
from archnotes.mermaid import ENTRY as MERMAID
from archnotes.mermaid import parse_sources
from sitebuild import build


def parse_all(site_dir: Path, diagrams: list[Diagram]) -> list[str]:
    """A failure line for each diagram that does not parse."""
    results = parse_sources(site_dir, [d.text for d in diagrams])
    return [d.syntax_error(results[d.text]) for d in diagrams if results[d.text]]


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
        try:
            diagrams = read_manifest(site_dir)
        except ManifestError as err:
            print(f"check_diagrams: {err}", file=sys.stderr)
            return 2
        to_parse = [d for d in diagrams if args.all or not d.drawn]
        try:
            failures = parse_all(site_dir, to_parse) if to_parse else []
        except FileNotFoundError as err:
            print(f"check_diagrams: {err}", file=sys.stderr)
            return 2
    for line in failures:
        print(line)
    pages = len({d.page for d in diagrams})
    print(f"{len(diagrams) - len(failures)} of {len(diagrams)} diagrams on {pages} pages parse "
          f"({len(diagrams) - len(to_parse)} drawn before the build, parsed then; {len(to_parse)} parsed now); "
          f"{len(failures)} failed ({time.perf_counter() - started:.2f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
