"""Pre-rendered diagrams: each mermaid diagram ships as SVG, drawn before the build.

Drawing mermaid in the reader's browser costs a phone about a second of busy
main thread per page (Lighthouse mobile, total blocking time 400-1,500 ms) and
250 KB of mermaid code. So `make diagrams` (scripts/render_diagrams.py) draws
every diagram once, with the site's own vendored mermaid in headless Chromium,
in the light and the dark scheme, and keeps the result in diagrams/<key>.svg
(committed). This hook puts that SVG in place of the diagram's source:

    <div class="diagram" data-diagram="KEY" ...>
      <div class="diagram__canvas">
        <svg class="diagram__light">...</svg><svg class="diagram__dark">...</svg>
      </div>
      <template class="diagram__source">the mermaid source</template>
    </div>

The site's CSS shows the SVG of the current palette; the source stays for the
"Copy source" button and for scripts/check_diagrams.py. KEY depends only on the
source, the mermaid version and RENDERING, so editing a diagram makes it new.

A diagram with no SVG yet (just written, `mkdocs serve`) stays a
<div class="mermaid" data-diagram="KEY">, which assets/javascripts/diagrams.mjs
draws in the browser as before, and the build logs a warning naming its page:
`mkdocs build --strict` (make build, make test) fails until `make diagrams` has
run. Every diagram gets the same "Copy source" / "Open larger" buttons.

This runs before mermaid2 (priority 50): mermaid2 re-parses, with
BeautifulSoup, every page whose HTML contains the word "mermaid", and the
SVGs are cleaned of it (scripts/render_diagrams.py), so pages whose diagrams
are all pre-rendered skip that parse.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[1]
PRINT_URI = "print.md"  # hooks/print_page.py
RENDERED = ROOT / "diagrams"
# Change when the mermaid configuration in assets/javascripts/diagrams.mjs, or
# the post-processing in scripts/render_diagrams.py, changes: every diagram
# then needs drawing again.
RENDERING = 3
# The fence's output (pymdownx.superfences.fence_div_format): the source, HTML-escaped.
FENCE = re.compile(r'<div class="mermaid">(.*?)</div>', re.S)
TITLE = re.compile(r'^<svg\b[^>]*>\s*<title[^>]*>([^<]+)</title>')
ROOT_SIZE = re.compile(r'^<svg\b[^>]*?style="max-width: ([\d.]+)px;"[^>]*?viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')

log = logging.getLogger("mkdocs.hooks.diagrams")
_missing: dict[str, int] = {}  # page URL -> diagrams without an SVG


def mermaid_version() -> str:
    return json.loads((ROOT / "MERMAID.json").read_text(encoding="utf-8"))["version"]


def diagram_key(source: str, version: str) -> str:
    """The name of a diagram's drawing: the same source, mermaid and RENDERING give the same key."""
    return hashlib.sha256(f"{version}\n{RENDERING}\n{source.strip()}".encode()).hexdigest()[:16]


def rendered_svg(key: str, light_only: bool) -> str | None:
    """The drawing: its light SVG, then its dark one (one per line), or None if not drawn yet."""
    path = RENDERED / f"{key}.svg"
    if not path.is_file():
        return None
    svg = path.read_text(encoding="utf-8")
    return svg.split("\n", 1)[0] if light_only else svg


def drawn_diagram(key: str, svg: str, escaped_source: str, number: int) -> str:
    """The drawing in its box: a scroll container holding a canvas of known size.

    The canvas gets the drawing's natural width, but at least the column's
    width and at most 30% less than natural (site.css), so the labels of a
    wide diagram stay readable and the reader scrolls it sideways instead;
    its aspect ratio gives its height. Its size is thus known before it is
    laid out, so the browser can skip laying out drawings off screen
    (content-visibility) without moving the page. A scrollable box must be
    reachable by keyboard: it is focusable, named after the diagram."""
    width, ratio = "100%", "auto"
    size = ROOT_SIZE.match(svg)
    if size:
        max_width, box_width, box_height = size.groups()
        width, ratio = f"{max_width}px", f"{box_width} / {box_height}"
    title = TITLE.search(svg)
    name = html.escape(html.unescape(title[1]), quote=True) if title else f"Diagram {number}"
    return (f'<div class="diagram" data-diagram="{key}" style="--diagram-width: {width}; --diagram-ratio: {ratio}" '
            f'tabindex="0" role="region" aria-label="{name}">'
            f'<div class="diagram__canvas">{svg}</div>'
            f'<template class="diagram__source">{escaped_source}</template></div>')


def tools(number: int) -> str:
    """The buttons under a diagram; assets/javascripts/diagrams.mjs makes them work.
    Each accessible name begins with the visible label (WCAG 2.5.3, label in
    name) and adds which diagram the button acts on."""
    return (
        '<div class="diagram-tools">'
        f'<button type="button" class="diagram-tools__button" data-action="copy" aria-label="Copy source of diagram {number}">Copy source</button>'
        f'<button type="button" class="diagram-tools__button" data-action="zoom" aria-label="Open larger view of diagram {number}">Open larger</button>'
        '<span class="diagram-tools__status" role="status"></span></div>'
    )


def on_config(config):
    _missing.clear()
    return config


@event_priority(50)
def on_post_page(output, page, config):
    version = mermaid_version()
    # The print edition holds every diagram of the site and is made for paper,
    # which is light: its dark drawings would add megabytes no one sees.
    light_only = page.file.src_uri == PRINT_URI
    number = 0

    def replace(match):
        nonlocal number
        number += 1
        escaped = match[1]
        key = diagram_key(html.unescape(escaped), version)
        svg = rendered_svg(key, light_only)
        if svg is None:
            _missing[page.url] = _missing.get(page.url, 0) + 1
            return f'<div class="mermaid" data-diagram="{key}">{escaped}</div>{tools(number)}'
        return drawn_diagram(key, svg, escaped, number) + tools(number)

    return FENCE.sub(replace, output)


def on_post_build(config):
    if _missing:
        pages = ", ".join(f"{url or '/'} ({n})" for url, n in sorted(_missing.items()))
        log.warning(f"{sum(_missing.values())} diagrams are not pre-rendered, so readers' browsers must draw them: "
                    f"{pages}. Run `make diagrams`.")
