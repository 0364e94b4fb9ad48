"""Pre-rendered diagrams: each mermaid diagram ships as SVG, drawn before the build.

Drawing mermaid in the reader's browser costs a phone about a second of busy
main thread per page (Lighthouse mobile, total blocking time 400-1,500 ms) and
250 KB of mermaid code. So `make diagrams` (scripts/render_diagrams.py) draws
every diagram once, with the site's own vendored mermaid in headless Chromium,
in the light and the dark scheme, and keeps the result in diagrams/<key>.svg
(committed). This hook puts that drawing in place of the diagram's source:

    <div class="diagram" data-diagram="KEY" ...>
      <div class="diagram__canvas">
        <img class="diagram__light" src=".../assets/diagrams/KEY.svg" alt="..." loading="lazy">
        <img class="diagram__dark" src=".../assets/diagrams/KEY-dark.svg" alt="..." loading="lazy">
      </div>
      <template class="diagram__source">the mermaid source</template>
    </div>

Each drawing is published as its own file (assets/diagrams/, written after the
build), not written into the page: a page's diagrams were 80% of its HTML and
half of its elements (apscheduler: 507 of 630 KB, 2,822 of 4,768), which a
phone parsed and styled before it could do anything else. As images, they are
fetched only when they near the viewport, in the reader's scheme only, and
cached across pages; a name (KEY) changes whenever the drawing can (a new
source, mermaid version or RENDERING), so a host can let browsers cache them
for good. The site's CSS shows the image of the current palette. The
alt text is the diagram's accTitle and accDescr when it has them, else its
kind and its labels, what a screen reader read out of the inline SVG before.

Two kinds stay inline SVG: a diagram with links (mermaid `click` lines), both
schemes, since a link inside an <img> cannot be followed; and every diagram of
the print edition's one-page document (/print/ in the PDF and offline editions,
hooks/print_page.py), light only. It is for printing, which must not wait for
a hundred images, and Safari does not load lazy images to print them (a known
issue on caniuse.com's loading=lazy page since Fyrd/caniuse pull request 6904,
November 2023); inline, it is also 60 KB lighter than as separate files.

The source stays for the "Copy source" button and for
scripts/check_diagrams.py. KEY depends only on the source, the mermaid
version and RENDERING, so editing a diagram makes it new.

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
from mkdocs.utils import get_relative_url, write_file

ROOT = Path(__file__).resolve().parents[1]
PRINT_URI = "print.md"  # hooks/print_page.py
RENDERED = ROOT / "diagrams"
# Change when the mermaid configuration in assets/javascripts/diagrams.mjs, or
# the post-processing in scripts/render_diagrams.py, changes: every diagram
# then needs drawing again.
RENDERING = 4
# The fence's output (pymdownx.superfences.fence_div_format): the source, HTML-escaped.
FENCE = re.compile(r'<div class="mermaid">(.*?)</div>', re.S)
TITLE = re.compile(r'^<svg\b[^>]*>\s*<title[^>]*>([^<]+)</title>')
DESC = re.compile(r'<desc[^>]*>([^<]+)</desc>')
KIND = re.compile(r'^<svg\b[^>]*?aria-roledescription="([^"]+)"')
KINDS = {"flowchart-v2": "Flowchart", "sequence": "Sequence diagram", "stateDiagram": "State diagram",
         "classDiagram": "Class diagram", "timeline": "Timeline", "xychart": "Chart"}
FLOWCHART_NODES = '<g class="nodes">'
NOT_LABELS = re.compile(r"<(style|title|desc)\b.*?</\1>", re.S)
LINK = "<a "  # mermaid writes a `click` line's link as <a xlink:href=...>
ASSETS = "assets/diagrams"  # where each drawing is published, as KEY.svg and KEY-dark.svg
ROOT_SIZE = re.compile(r'^<svg\b[^>]*?style="max-width: ([\d.]+)px;"[^>]*?viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')

log = logging.getLogger("mkdocs.hooks.diagrams")
_missing: dict[str, int] = {}  # page URL -> diagrams without an SVG
_published: dict[str, str] = {}  # file name under ASSETS -> its SVG


def mermaid_version() -> str:
    return json.loads((ROOT / "MERMAID.json").read_text(encoding="utf-8"))["version"]


def diagram_key(source: str, version: str) -> str:
    """The name of a diagram's drawing: the same source, mermaid and RENDERING give the same key."""
    return hashlib.sha256(f"{version}\n{RENDERING}\n{source.strip()}".encode()).hexdigest()[:16]


def rendered_svgs(key: str) -> tuple[str, str] | None:
    """The drawing: its light SVG and its dark one, or None if not drawn yet."""
    path = RENDERED / f"{key}.svg"
    if not path.is_file():
        return None
    light, dark = path.read_text(encoding="utf-8").split("\n", 1)
    return light, dark.strip()


def text_alternative(svg: str) -> str:
    """Alt text: the author's accTitle and accDescr, else the diagram's kind and labels."""
    title, desc = TITLE.search(svg), DESC.search(svg)
    if title or desc:
        return ". ".join(html.unescape(m[1]).strip() for m in (title, desc) if m)
    kind = KIND.search(svg)
    body = NOT_LABELS.sub(" ", svg)
    # A flowchart draws its edge labels before its nodes; a reader wants the
    # nodes first.
    edges, nodes = body.partition(FLOWCHART_NODES)[::2] if FLOWCHART_NODES in body else (body, "")
    labels = (html.unescape(text).strip() for text in re.split(r"<[^>]+>", nodes + edges))
    # dict: each label once, in drawing order (a sequence diagram draws its actors twice)
    return f"{KINDS.get(kind[1], 'Diagram') if kind else 'Diagram'}: " + "; ".join(dict.fromkeys(t for t in labels if t))


def images(key: str, light: str, dark: str, page_url: str) -> str:
    """Lazy <img> tags for the drawing's published files, one per palette."""
    alt = html.escape(text_alternative(light), quote=True)
    tags = []
    for scheme, svg, name in (("light", light, f"{key}.svg"), ("dark", dark, f"{key}-dark.svg")):
        _published[name] = svg
        tags.append(f'<img class="diagram__{scheme}" src="{get_relative_url(f"{ASSETS}/{name}", page_url)}" '
                    f'alt="{alt}" loading="lazy" decoding="async">')
    return "".join(tags)


def drawn_diagram(key: str, light: str, canvas: str, escaped_source: str, number: int) -> str:
    """The drawing in its box: a scroll container holding a canvas of known size.

    The canvas gets the drawing's natural width, but at least the column's
    width and at most 30% less than natural (site.css), so the labels of a
    wide diagram stay readable and the reader scrolls it sideways instead;
    its aspect ratio gives its height. Its size is thus known before its
    image arrives or its SVG is laid out, so nothing moves when it does. A
    scrollable box must be reachable by keyboard: it is focusable, named
    after the diagram."""
    width, ratio = "100%", "auto"
    size = ROOT_SIZE.match(light)
    if size:
        max_width, box_width, box_height = size.groups()
        width, ratio = f"{max_width}px", f"{box_width} / {box_height}"
    title = TITLE.search(light)
    name = html.escape(html.unescape(title[1]), quote=True) if title else f"Diagram {number}"
    return (f'<div class="diagram" data-diagram="{key}" style="--diagram-width: {width}; --diagram-ratio: {ratio}" '
            f'tabindex="0" role="region" aria-label="{name}">'
            f'<div class="diagram__canvas">{canvas}</div>'
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
    _published.clear()
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
        svgs = rendered_svgs(key)
        if svgs is None:
            _missing[page.url] = _missing.get(page.url, 0) + 1
            return f'<div class="mermaid" data-diagram="{key}">{escaped}</div>{tools(number)}'
        light, dark = svgs
        if light_only:
            canvas = light
        elif LINK in light:
            canvas = f"{light}\n{dark}"
        else:
            canvas = images(key, light, dark, page.url)
        return drawn_diagram(key, light, canvas, escaped, number) + tools(number)

    return FENCE.sub(replace, output)


def on_post_build(config):
    for name, svg in _published.items():
        write_file(svg.encode("utf-8"), f"{config.site_dir}/{ASSETS}/{name}")
    if _missing:
        pages = ", ".join(f"{url or '/'} ({n})" for url, n in sorted(_missing.items()))
        log.warning(f"{sum(_missing.values())} diagrams are not pre-rendered, so readers' browsers must draw them: "
                    f"{pages}. Run `make diagrams`.")
