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

A diagram with no SVG yet (just written, `make serve`) stays a
<div class="mermaid" data-diagram="KEY">, which assets/javascripts/diagram-live.mjs
draws in the browser, under a note that names its file and line (and, if it
does not parse, mermaid's error with the line in the file). The build logs a
warning for each, as `docs/<file>.md:<line>`: `mkdocs build --strict` (make
build, make test) fails until `make diagrams` has run. A strict build first
parses these diagrams with the vendored mermaid in Chromium
(scripts/check_diagrams.py), so a syntax error fails it with mermaid's
message and its line in the Markdown file. Every diagram gets the same
"Copy source" / "Open larger" buttons.

What the hook saw, it writes as data: SITE_DIR/diagrams.json, one record per
diagram (src/archnotes/diagram_data.py), which scripts read instead of the HTML.
The drawings are read from diagrams/ beside the config file.

This runs before mermaid2 (priority 50): mermaid2 re-parses, with
BeautifulSoup, every page whose HTML contains the word "mermaid", and the
SVGs are cleaned of it (scripts/render_diagrams.py), so pages whose diagrams
are all pre-rendered skip that parse.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url, write_file

from archnotes.diagram_data import (
    FENCE,
    Diagram,
    click_links,
    fences_in_file,
    first_source_line,
    read_drawing,
    same_source,
    write_manifest,
)
from archnotes.editions import PRINT_URI, edition_of
from archnotes.mermaid import parse_sources
from archnotes.mermaid import version as mermaid_version
from archnotes.nav import docs_label

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "diagrams"  # this project's drawings; a build reads those beside its config file
# Change when the mermaid configuration in assets/javascripts/diagram-live.mjs, or
# the post-processing in scripts/render_diagrams.py, changes: every diagram
# then needs drawing again.
RENDERING = 4
TITLE = re.compile(r'^<svg\b[^>]*>\s*<title[^>]*>([^<]+)</title>')
DESC = re.compile(r'<desc[^>]*>([^<]+)</desc>')
KIND = re.compile(r'^<svg\b[^>]*?aria-roledescription="([^"]+)"')
KINDS = {"flowchart-v2": "Flowchart", "sequence": "Sequence diagram", "stateDiagram": "State diagram",
         "classDiagram": "Class diagram", "timeline": "Timeline", "xychart": "Chart"}
FLOWCHART_NODES = '<g class="nodes">'
NOT_LABELS = re.compile(r"<(style|title|desc)\b.*?</\1>", re.S)
RAW_TAG = re.compile(r"<([a-zA-Z][\w-]*)")  # in a fence's output, where the source is escaped
LINK = "<a "  # mermaid writes a `click` line's link as <a xlink:href=...>
ASSETS = "assets/diagrams"  # where each drawing is published, as KEY.svg and KEY-dark.svg
ROOT_SIZE = re.compile(r'^<svg\b[^>]*?style="max-width: ([\d.]+)px;"[^>]*?viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')

# In the print document (hooks/print_page.py) each page's copy sits in an element
# naming its source; its diagrams are that page's, in the same order.
COPIED_FROM = re.compile(r'<section class="print-page"[^>]*? data-src="([^"]+)"')

log = logging.getLogger("mkdocs.hooks.diagrams")
_published: dict[str, str] = {}  # file name under ASSETS -> its SVG, written after the build
_fences: dict[str, list] = {}  # page src_uri -> its mermaid fences, with their lines in the file
_records: list[Diagram] = []  # every diagram of the build, in the order pages were written
_by_page: dict[str, list[Diagram]] = {}  # page src_uri -> its own diagrams
_copies: list[tuple[Diagram, str, int]] = []  # print document's diagrams: (record, page copied, number there)


def diagram_key(source: str, version: str) -> str:
    """The name of a diagram's drawing: the same source, mermaid and RENDERING give the same key."""
    return hashlib.sha256(f"{version}\n{RENDERING}\n{source.strip()}".encode()).hexdigest()[:16]


def drawings_dir(config) -> Path:
    """diagrams/ beside the config file (mkdocs-offline.yml and mkdocs-pdf.yml sit beside mkdocs.yml)."""
    return Path(config.config_file_path).parent / "diagrams" if config.config_file_path else RENDERED


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


def images(key: str, light: str, dark: str, page_url: str) -> tuple[str, dict[str, str]]:
    """Lazy <img> tags for the drawing, one per palette, and the files they show
    (file name under ASSETS -> its SVG), which the build must publish."""
    alt = html.escape(text_alternative(light), quote=True)
    files = {f"{key}.svg": light, f"{key}-dark.svg": dark}
    tags = [f'<img class="diagram__{scheme}" src="{get_relative_url(f"{ASSETS}/{name}", page_url)}" '
            f'alt="{alt}" loading="lazy" decoding="async">'
            for scheme, name in zip(("light", "dark"), files)]
    return "".join(tags), files


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
        '<button type="button" class="diagram-tools__button" data-action="copy" '
        f'aria-label="Copy source of diagram {number}">Copy source</button>'
        '<button type="button" class="diagram-tools__button" data-action="zoom" '
        f'aria-label="Open larger view of diagram {number}">Open larger</button>'
        '<span class="diagram-tools__status" role="status"></span></div>'
    )


def pending(record: Diagram, escaped: str) -> str:
    """A diagram not drawn yet, for the browser to draw (only a build that is
    not strict, `make serve`, writes one): a note naming its file and line,
    which assets/javascripts/diagram-live.mjs turns into mermaid's error if the
    source does not parse, and the source with where it is written."""
    first = f' data-diagram-first-line="{record.first_line}"' if record.first_line else ""
    return (f'<div class="admonition warning diagram-pending" data-diagram-note="{record.key}">'
            f'<p class="admonition-title">Diagram not drawn yet</p>'
            f'<p>Your browser draws it from its source, <code>{html.escape(record.where)}</code>. '
            f'Readers get drawings made before the build: run <code>make diagrams</code>.</p></div>'
            f'<div class="mermaid" data-diagram="{record.key}" data-diagram-at="{html.escape(record.where)}"{first}>'
            f'{escaped}</div>')


def on_config(config):
    _published.clear()
    _records.clear()
    _copies.clear()
    _by_page.clear()
    _fences.clear()
    return config


@event_priority(-100)  # last: after hooks/topics.py has expanded its markers into diagrams
def on_page_markdown(markdown, page, config, files):
    _fences[page.file.src_uri] = fences_in_file(page.file.content_string, markdown)
    return markdown


def record_for(page, config, number: int, source: str, key: str, drawn: bool, fences: list) -> Diagram:
    """The manifest's record of a diagram: where its fence is written, found
    by its source among the page's fences not yet matched (fences is consumed)."""
    file, line, first = f"{docs_label(config)}/{page.file.src_uri}", 1, None
    for i, (fence, fence_line, written) in enumerate(fences):
        if same_source(fence.source, source):
            line, first = fence_line, (first_source_line(fence_line, fence.source) if written else None)
            del fences[: i + 1]
            break
    return Diagram(key=key, file=file, line=line, number=number, page=page.url, edition=edition_of(config),
                   drawn=drawn, source=source, links=click_links(source), first_line=first)


@event_priority(50)
def on_post_page(output, page, config):
    version = mermaid_version()
    folder = drawings_dir(config)
    # The print edition holds every diagram of the site and is made for paper,
    # which is light: its dark drawings would add megabytes no one sees.
    light_only = page.file.src_uri == PRINT_URI
    fences = list(_fences.get(page.file.src_uri, []))
    copies = [(m.start(), m[1]) for m in COPIED_FROM.finditer(output)]
    number = 0
    per_copy: dict[str, int] = {}

    def replace(match):
        nonlocal number
        number += 1
        escaped = match[1]
        source = html.unescape(escaped)
        key = diagram_key(source, version)
        svgs = read_drawing(folder, key)
        record = record_for(page, config, number, source, key, svgs is not None, fences)
        _records.append(record)
        for tag in RAW_TAG.findall(escaped):
            # The fence escapes the source, so a tag here is markup the browser
            # would swallow before mermaid sees it (e.g. `<<interface>>`).
            log.warning(f"{record.where}: diagram {number} of /{page.url} holds a raw HTML tag <{tag}>: the browser "
                        "reads it as markup, so mermaid never sees it (is the fence escaping its source?)")
        copied = [src for start, src in copies if start < match.start()]
        if copied:
            per_copy[copied[-1]] = per_copy.get(copied[-1], 0) + 1
            _copies.append((record, copied[-1], per_copy[copied[-1]]))
        else:
            _by_page.setdefault(page.file.src_uri, []).append(record)
        if svgs is None:
            return pending(record, escaped) + tools(number)
        light, dark = svgs
        if light_only:
            canvas = light
        elif LINK in light:
            canvas = f"{light}\n{dark}"
        else:
            canvas, files = images(key, light, dark, page.url)
            _published.update(files)
        return drawn_diagram(key, light, canvas, escaped, number) + tools(number)

    return FENCE.sub(replace, output)


def on_post_build(config):
    for name, svg in _published.items():
        write_file(svg.encode("utf-8"), f"{config.site_dir}/{ASSETS}/{name}")
    locate_copies()
    write_manifest(Path(config.site_dir), edition_of(config), _records)
    undrawn = list({d.where: d for d in _records if not d.drawn}.values())  # the print document repeats them
    if undrawn:
        report_undrawn(undrawn, Path(config.site_dir) if config.strict else None)


def locate_copies() -> None:
    """A diagram of the print document is written where the page it was copied from has it."""
    for record, src_uri, number in _copies:
        originals = _by_page.get(src_uri, [])
        if number <= len(originals):
            original = originals[number - 1]
            record.file, record.line, record.first_line = original.file, original.line, original.first_line


def report_undrawn(undrawn: list[Diagram], site_dir: Path | None) -> None:
    """One warning per diagram not drawn yet, as docs/<file>.md:<line>. With
    site_dir (a strict build), parse them first, so that a syntax error is
    reported as one, at its line."""
    errors, note = parse(undrawn, site_dir) if site_dir else ({}, "")
    for d in undrawn:
        if errors.get(d.text):
            log.warning(d.syntax_error(errors[d.text]))
        else:
            log.warning(f"{d.where}: diagram {d.number} of /{d.page} is not drawn yet, so readers' browsers "
                        f"would have to draw it: run `make diagrams`{note}")


def parse(diagrams: list[Diagram], site_dir: Path) -> tuple[dict[str, str], str]:
    """source -> mermaid's message for each source that does not parse, read by
    the site's own mermaid in Chromium; and a note if that could not run."""
    try:
        results = parse_sources(site_dir, [d.text for d in diagrams])
    except Exception as err:  # no Playwright or no Chromium: say so, the rest still holds
        return {}, f" (not parsed: {' '.join(str(err).split())[:200]})"
    return {source: failure for source, failure in results.items() if failure}, ""
