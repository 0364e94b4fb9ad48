"""Draw every mermaid diagram of the site as SVG, for hooks/diagrams.py to publish.

    python scripts/render_diagrams.py [-f CONFIG ...] [--all] [--check]

Builds every edition of the site (src/archnotes/editions.py: web, offline and PDF,
into temporary folders: their links, and so some diagrams, differ), reads the
diagrams each build lists in its diagrams.json (hooks/diagrams.py), draws
each one that has no drawing yet with the site's vendored mermaid in headless
Chromium, in the light and the dark scheme, and writes diagrams/KEY.svg.
Then, and only when every edition was built and read and every diagram was
drawn, it deletes the drawings that no edition uses: a run that fails deletes
nothing, and a second run draws 0 and deletes 0. With -f (some configs, not
every edition) nothing is deleted. --all draws every diagram again (after a
mermaid upgrade, RENDERING in hooks/diagrams.py changes the keys instead, so
--all is rarely needed). --check changes nothing: it says what a run would
draw and delete, and exits 1 if anything.

Diagrams are drawn inside a page of the built site (its 404 page), in the
same typeset container and with the same mermaid configuration
(assets/javascripts/diagram-live.mjs, mermaidConfig) as in a reader's browser.
Labels are set in Arial (Liberation Sans here, which has Arial's metrics), a
font readers have, so boxes measured here fit the text there.

Each drawing is cleaned before it is written:
  * ids mermaid does not prefix with the diagram's own id (sequence diagrams'
    actor0, root-0, ...) get that prefix, with every reference to them, so
    ids stay unique on a page with several diagrams and both schemes;
  * coordinates are rounded to 0.1 px (mermaid writes 15 digits; this halves
    the size), runs of whitespace in them become one space (a few shapes'
    paths hold line breaks, and diagrams/KEY.svg is one drawing per line),
    and data-points (mermaid's internal edge data) is dropped;
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

Exit 0 when every diagram has a drawing; 1 when a build failed or a diagram
failed to draw (printed as docs/<file>.md:<line>: diagram <n> of /<page> does
not parse: mermaid's message, the line being mermaid's line in the file); 2 on usage
errors or no Chromium.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from archnotes.browser import block_other_hosts, launch
from archnotes.diagram_data import Diagram, drawing_keys, read_manifest, write_drawing
from archnotes.editions import EDITIONS, config_path
from archnotes.mermaid import ENTRY as MERMAID
from archnotes.serve_site import serving
from sitebuild import build

ROOT = Path(__file__).resolve().parents[1]
LOADER = "assets/javascripts/diagram-live.mjs"
ALL_CONFIGS = [config_path(e) for e in EDITIONS.values()]
SCHEMES = {"light": ("default", ""), "dark": ("slate", "-dark")}  # scheme -> (Material scheme, id suffix)


@dataclass
class Editions:
    """What the builds of the editions list: every key in use, and one record of each diagram to draw."""

    used: set[str] = field(default_factory=set)
    to_draw: dict[str, Diagram] = field(default_factory=dict)


def read_editions(site_dirs: list[Path], redraw: bool = False) -> Editions:
    """The diagrams of these builds (their diagrams.json); with redraw, every one is to draw."""
    found = Editions()
    for site_dir in site_dirs:
        for d in read_manifest(site_dir):
            found.used.add(d.key)
            if redraw or not d.drawn:
                found.to_draw.setdefault(d.key, d)  # the first edition's record names it
    return found


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

    jobs = [{"key": d.key, "scheme": scheme, "name": name, "id": f"dia-{d.key}{suffix}", "source": d.text}
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
    svg = prefix_ids(svg, svg_id)
    # Whitespace in geometry is a separator only; some shapes' paths (h-cyl) hold line breaks.
    svg = GEOMETRY.sub(lambda m: m[1] + LONG_NUMBER.sub(lambda n: f"{float(n[0]):.1f}", " ".join(m[2].split())) + m[3], svg)
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

@dataclass
class Outcome:
    drawn: int = 0
    already: int = 0
    deleted: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def quiet_build(config: Path, site_dir: Path) -> None:
    """Build, without the hook's warnings about diagrams not drawn yet: they are this run's work list."""
    hook_log = logging.getLogger("mkdocs.hooks.diagrams")
    level = hook_log.level
    hook_log.setLevel(logging.ERROR)
    try:
        build(config, site_dir, strict=False)
    finally:
        hook_log.setLevel(level)


def run(configs: list[Path], drawings: Path, prune: bool, redraw: bool = False, check: bool = False) -> Outcome:
    """Build configs, draw what they lack into drawings, and with prune (configs
    are every edition) delete the drawings none of them uses, if nothing failed."""
    outcome = Outcome()
    with tempfile.TemporaryDirectory() as tmp:
        site_dirs = [Path(tmp) / str(i) for i in range(len(configs))]
        for config, site_dir in zip(configs, site_dirs):
            try:
                quiet_build(config, site_dir)
            except Exception as err:  # a hook's PluginError, bad YAML...: named, and nothing changes
                outcome.failures.append(f"{config.name}: the build failed: {' '.join(str(err).split())}")
                return outcome
        found = read_editions(site_dirs, redraw)
        stale = sorted(drawing_keys(drawings) - found.used)
        outcome.already = len(found.used) - len(found.to_draw)
        if check:
            outcome.drawn, outcome.deleted = len(found.to_draw), stale if prune else []
            return outcome
        # Any build will do as the page to draw in: the first.
        drawn = draw(site_dirs[0], list(found.to_draw.values())) if found.to_draw else {}
    for key, drawing in drawn.items():
        if "error" in drawing:
            outcome.failures.append(found.to_draw[key].syntax_error(drawing["error"]))
        else:
            write_drawing(drawings, key, drawing["light"], drawing["dark"])
            outcome.drawn += 1
    # Only a run that read every edition, and lost nothing, may say what no page uses.
    if prune and not outcome.failures:
        for key in stale:
            (drawings / f"{key}.svg").unlink()
        outcome.deleted = stale
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw the site's mermaid diagrams as SVG (diagrams/KEY.svg).")
    parser.add_argument("-f", "--config-file", type=Path, action="append",
                        help="a config to build (repeat for more); default: every edition (src/archnotes/editions.py). "
                             "With -f, no drawing is deleted")
    parser.add_argument("--all", action="store_true", help="draw every diagram again, not only new ones")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a run would draw or delete")
    args = parser.parse_args(argv)
    configs = [c.resolve() for c in args.config_file] if args.config_file else ALL_CONFIGS
    missing = [str(c) for c in configs if not c.is_file()]
    if missing:
        print(f"render_diagrams: no config file {', '.join(missing)}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    drawings = configs[0].parent / "diagrams"  # hooks/diagrams.py reads them beside the config
    try:
        outcome = run(configs, drawings, prune=set(configs) == set(ALL_CONFIGS), redraw=args.all, check=args.check)
    except FileNotFoundError as err:
        print(f"render_diagrams: {err}", file=sys.stderr)
        return 2
    for line in outcome.failures:
        print(line)
    verb = "would be" if args.check else ""
    print(f"{outcome.drawn} diagrams {verb or ''}{' ' if verb else ''}drawn, {outcome.already} already drawn, "
          f"{len(outcome.deleted)} unused drawings {verb + ' ' if verb else ''}deleted, {len(outcome.failures)} failed"
          f"{' (nothing deleted)' if outcome.failures else ''} ({time.perf_counter() - started:.1f} s)")
    if args.check:
        return 1 if outcome.drawn or outcome.deleted or outcome.failures else 0
    return 1 if outcome.failures else 0


if __name__ == "__main__":
    sys.exit(main())
