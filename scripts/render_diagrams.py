"""Draw every mermaid diagram of the site as SVG, for hooks/diagrams.py to publish.

    python scripts/render_diagrams.py [-f mkdocs.yml -f mkdocs-offline.yml] [--all]

Builds the site, both editions by default (into temporary folders: the
offline edition's links, and so its topic maps, differ), finds each diagram that has no
drawing yet (hooks/diagrams.py leaves those as <div class="mermaid"
data-diagram="KEY">), draws it with the site's vendored mermaid in headless
Chromium, in the light and the dark scheme, and writes diagrams/KEY.svg.
Drawings no page uses any more are deleted. --all draws every diagram again
(after a mermaid upgrade, RENDERING in hooks/diagrams.py changes the keys
instead, so --all is rarely needed).

Diagrams are drawn inside a page of the built site (its 404 page), in the
same typeset container and with the same mermaid configuration
(assets/javascripts/diagrams.mjs, mermaidConfig) as in a reader's browser.
Labels are set in Arial (Liberation Sans here, which has Arial's metrics), a
font readers have, so boxes measured here fit the text there.

Each drawing is cleaned before it is written:
  * ids mermaid does not prefix with the diagram's own id (sequence diagrams'
    actor0, root-0, ...) get that prefix, with every reference to them, so
    ids stay unique on a page with several diagrams and both schemes;
  * coordinates are rounded to 0.1 px (mermaid writes 15 digits; this halves
    the size), and data-points (mermaid's internal edge data) is dropped;
  * what the Nu HTML Checker rejects in HTML is rewritten: a <p> inside a
    label's <span> becomes <span class="p"> (display: block, as a <p> was;
    the CSS follows), a node's `title` attribute (a `click` tooltip) becomes
    its <title> element, which browsers show as a tooltip, and attributes SVG
    does not have (name, label-offset-y, a circle's width and height, a
    path's viewBox) are dropped;
  * CSS rules that can match nothing here are dropped: those for the "neo"
    look (the site draws the classic look; they are a fifth of each
    stylesheet, and every rule costs the browser time when it styles the
    page), the tooltip (div.mermaidTooltip, which only mermaid's runtime
    creates) and `#id :root` (a descendant of the SVG is never the root);
    so are the filters and gradients nothing refers to any more, and the
    empty group xychart leaves behind after measuring text. The page then
    holds no "mermaid" for the mermaid2 plugin to parse it for.

Exit 0 when every diagram has a drawing; 1 when one failed to draw (page,
diagram number and mermaid's message are printed); 2 on usage errors or no
Chromium.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "hooks"))
from browser import block_other_hosts, launch  # noqa: E402
from serve_site import serving  # noqa: E402
from sitebuild import build  # noqa: E402

from diagrams import RENDERED  # noqa: E402  (hooks/diagrams.py)

MERMAID = "assets/javascripts/mermaid/mermaid.esm.min.mjs"
LOADER = "assets/javascripts/diagrams.mjs"
UNDRAWN = re.compile(r'<div class="mermaid" data-diagram="([0-9a-f]+)">(.*?)</div>', re.S)
# A page that still has a diagram to draw is rewritten by the mermaid2 plugin,
# which writes each tag's attributes in alphabetical order: aria-label comes
# first then, and a drawn diagram must still count as drawn.
DRAWN = re.compile(r'<div [^>]*?\bclass="diagram" data-diagram="([0-9a-f]+)"')
EDITIONS = [ROOT / "mkdocs.yml", ROOT / "mkdocs-offline.yml"]
SCHEMES = {"light": ("default", ""), "dark": ("slate", "-dark")}  # scheme -> (Material scheme, id suffix)


@dataclass
class Diagram:
    key: str
    source: str
    page: str  # the first page it is on
    number: int  # its position there


def site_diagrams(site_dir: Path) -> tuple[dict[str, Diagram], set[str]]:
    """The diagrams still to draw (key -> diagram), and the keys of those already drawn."""
    undrawn: dict[str, Diagram] = {}
    drawn: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        url = page.relative_to(site_dir).as_posix().removesuffix("index.html") or "/"
        drawn.update(DRAWN.findall(text))
        for number, (key, escaped) in enumerate(UNDRAWN.findall(text), 1):
            undrawn.setdefault(key, Diagram(key, html.unescape(escaped).strip(), url, number))
    return undrawn, drawn


RENDER = """
async ({mermaidUrl, loaderUrl, jobs}) => {
  const mermaid = (await import(mermaidUrl)).default;
  const { mermaidConfig } = await import(loaderUrl);
  const host = document.querySelector(".md-content .md-typeset") || document.body;
  const results = [];
  for (const { id, source, scheme } of jobs) {
    document.body.setAttribute("data-md-color-scheme", scheme);
    mermaid.initialize(mermaidConfig(scheme === "slate" ? "dark" : "default"));
    try {
      results.push({ svg: (await mermaid.render(id, source, host)).svg });
    } catch (e) {
      results.push({ error: String((e && e.message) || e) });
    }
  }
  return results;
}
"""


def draw(site_dir: Path, diagrams: list[Diagram]) -> dict[str, dict[str, str]]:
    """key -> {"light": svg, "dark": svg} or {"error": message}."""
    from playwright.sync_api import sync_playwright

    jobs = [{"key": d.key, "scheme": scheme, "name": name, "id": f"dia-{d.key}{suffix}", "source": d.source}
            for d in diagrams for name, (scheme, suffix) in SCHEMES.items()]
    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        block_other_hosts(context, base)
        page = context.new_page()
        page.goto(base + "404.html")
        results = page.evaluate(RENDER, {"mermaidUrl": base + MERMAID, "loaderUrl": base + LOADER,
                                         "jobs": [{k: j[k] for k in ("id", "source", "scheme")} for j in jobs]})
        browser.close()
    drawings: dict[str, dict[str, str]] = {}
    for job, result in zip(jobs, results):
        entry = drawings.setdefault(job["key"], {})
        if "error" in result:
            entry["error"] = " ".join(result["error"].split())
        else:
            entry[job["name"]] = clean(result["svg"], job["id"], job["name"])
    return drawings


# --- cleaning ---------------------------------------------------------------

ID_ATTR = re.compile(r'\sid="([^"]+)"')
GEOMETRY = re.compile(r'(\s(?:d|points|transform|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height|viewBox|style)=")([^"]*)(")')
LONG_NUMBER = re.compile(r"-?\d+\.\d{2,}")
DATA_POINTS = re.compile(r'\sdata-points="[^"]*"')
ROOT_TAG = re.compile(r"^<svg\b[^>]*>")
STYLE = re.compile(r"(<style>)(.*?)(</style>)", re.S)
P_SELECTOR = re.compile(r"(?<=[ >])p(?=[{,:. >\[])")
G_TITLE = re.compile(r'(<g [^>]*?) title="([^"]*)"([^>]*>)')
NOT_SVG = re.compile(r'\s(?:name|label-offset-y)="[^"]*"|(?<=<circle)((?:\s[\w-]+="[^"]*")*?)\s(?:width|height)="[^"]*"')
PATH_VIEWBOX = re.compile(r'(<path[^>]*?)\sviewBox="[^"]*"')
DEAD_RULES = re.compile(r"#[\w-]+ (?:div\.mermaidTooltip|:root)\{[^}]*\}")
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
DEFS = re.compile(r'<defs><filter id="([^"]+)".*?</filter></defs>|<linearGradient id="([^"]+)".*?</linearGradient>', re.S)


def clean(svg: str, svg_id: str, scheme: str) -> str:
    # One line per drawing: diagrams/KEY.svg holds the light SVG on its first
    # line and the dark one on its second, and some shapes (h-cyl) write their
    # path data over several lines. XML reads a newline in an attribute as a
    # space, and so does SVG text.
    svg = re.sub(r"\r?\n", " ", svg)
    svg = prefix_ids(svg, svg_id)
    svg = GEOMETRY.sub(lambda m: m[1] + LONG_NUMBER.sub(lambda n: f"{float(n[0]):.1f}", m[2]) + m[3], svg)
    svg = DATA_POINTS.sub("", svg)
    svg = DEAD_RULES.sub("", svg).replace('<g class="mermaid-tmp-group"></g>', "")
    svg = STYLE.sub(lambda m: m[1] + RULE.sub(drop_neo, m[2]) + m[3], svg, count=1)
    svg = DEFS.sub(lambda m: m[0] if f"#{m[1] or m[2]})" in svg else "", svg)
    svg = valid_html(svg, svg_id)
    return ROOT_TAG.sub(lambda m: mark_scheme(m[0], scheme), svg, count=1)


def mark_scheme(root_tag: str, scheme: str) -> str:
    """The root <svg> tag, with a class saying which scheme it is for (the site's CSS shows one)."""
    if ' class="' in root_tag:
        return root_tag.replace(' class="', f' class="diagram__{scheme} ', 1)
    return root_tag[:-1] + f' class="diagram__{scheme}">'


def drop_neo(rule) -> str:
    """A CSS rule without its selectors for the neo look; nothing if that was all of them."""
    if 'data-look="neo"' not in rule[1]:
        return rule[0]
    kept = [sel for sel in rule[1].split(",") if 'data-look="neo"' not in sel]
    return f"{','.join(kept)}{{{rule[2]}}}" if kept else ""


def valid_html(svg: str, svg_id: str) -> str:
    svg = svg.replace("<p>", '<span class="p">').replace("</p>", "</span>")
    svg = STYLE.sub(lambda m: m[1] + P_SELECTOR.sub("span.p", m[2]) + f"#{svg_id} span.p{{display:block;}}" + m[3], svg, count=1)
    svg = G_TITLE.sub(lambda m: f"{m[1]}{m[3]}<title>{m[2]}</title>", svg)
    for _ in range(2):  # a circle may carry both width and height
        svg = NOT_SVG.sub(lambda m: m[1] or "", svg)
    return PATH_VIEWBOX.sub(r"\1", svg)


def prefix_ids(svg: str, svg_id: str) -> str:
    """Give every id that lacks it the diagram's own id as a prefix, and fix the references."""
    strays = {i for i in ID_ATTR.findall(svg) if i != svg_id and not i.startswith(svg_id)}
    if not strays:
        return svg
    def new(old: str) -> str:
        return f"{svg_id}-{old}" if old in strays else old
    svg = ID_ATTR.sub(lambda m: f' id="{new(m[1])}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{new(m[1])})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m[1]}="#{new(m[2])}"', svg)
    return re.sub(r'(aria-(?:labelledby|describedby))="([^"]+)"',
                  lambda m: f'{m[1]}="{" ".join(new(v) for v in m[2].split())}"', svg)


# --- main -------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the site's mermaid diagrams as SVG (diagrams/KEY.svg).")
    parser.add_argument("-f", "--config-file", type=Path, action="append",
                        help="a config to build (repeat for more); default: mkdocs.yml and mkdocs-offline.yml")
    parser.add_argument("--all", action="store_true", help="draw every diagram again, not only new ones")
    args = parser.parse_args(argv)
    configs = args.config_file or EDITIONS
    missing = [str(c) for c in configs if not c.is_file()]
    if missing:
        print(f"render_diagrams: no config file {', '.join(missing)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if args.all:
        for old in RENDERED.glob("*.svg"):
            old.unlink()
    RENDERED.mkdir(exist_ok=True)
    undrawn: dict[str, Diagram] = {}
    drawn: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for number, config in enumerate(configs):
            site_dir = Path(tmp) / str(number)
            build(config, site_dir, strict=False)
            more_undrawn, more_drawn = site_diagrams(site_dir)
            undrawn = {**more_undrawn, **undrawn}
            drawn |= more_drawn
        try:
            # Any build will do as the page to draw in: the first.
            drawings = draw(Path(tmp) / "0", list(undrawn.values())) if undrawn else {}
        except FileNotFoundError as err:
            print(f"render_diagrams: {err}", file=sys.stderr)
            return 2
    failed = 0
    for key, drawing in drawings.items():
        diagram = undrawn[key]
        if "error" in drawing:
            failed += 1
            print(f"{diagram.page}: diagram {diagram.number}: {drawing['error']}")
            continue
        (RENDERED / f"{key}.svg").write_text(drawing["light"] + "\n" + drawing["dark"] + "\n", encoding="utf-8")
    used = drawn | set(undrawn)
    # Only a run over every edition knows which drawings no page uses.
    stale = [p for p in RENDERED.glob("*.svg") if p.stem not in used] if set(configs) == set(EDITIONS) else []
    for path in stale:
        path.unlink()
    print(f"{len(drawings) - failed} diagrams drawn, {len(drawn)} already drawn, {len(stale)} unused drawings deleted, "
          f"{failed} failed ({time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
