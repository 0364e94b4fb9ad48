"""How the site's diagrams read where they are shown: for every diagram of every
page, at a screen size, whether it shows whole and how large its labels are drawn.

    python scripts/diagram_fit.py [--site-dir site]

prints, for a desktop (1280x900) and a phone (390x844, touch), the diagrams
that do not show whole or whose labels are small, then a summary line; exit 0
(it measures, it does not judge), 2 if the folder is not a built site.
tests/browser/test_diagram_fit.py judges (page, diagram number and key of each
failure), and scripts/bench.py prints the summaries; all three measure with
measure_site().

- A diagram shows whole when its box does not scroll sideways and its drawing
  lies inside the page's column.
- Its labels are drawn at the font-size of the drawing's own CSS rule (its
  SVG <style>: `#ID{...font-size:16px...}`) times the scale it is shown at:
  the drawing's shown width over its viewBox width.

Each diagram is scrolled to the middle of the screen before it is measured,
as a reader would see it (a canvas off screen may skip its layout).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from archnotes.browser import DIAGRAMS, SHOWN, block_other_hosts, launch
from archnotes.serve_site import serving, site_pages

ROOT = Path(__file__).resolve().parents[1]

# Screens: Playwright context options. The phone is a phone: mobile viewport, touch.
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP_MIN_LABEL = 11.0  # px: at 1280x900 every diagram shows whole with labels at least this size
PHONE_MIN_LABEL = 10.0  # px: on a phone, most diagrams (PHONE_SHARE) show whole with labels at least this size
PHONE_SHARE = 0.8

MEASURE = f"""async () => {{
  const shown = {SHOWN};
  const texts = new Map();  // a drawing's file -> its SVG, parsed
  async function drawingOf(d) {{
    if (d.tagName !== 'IMG') return d;
    if (!texts.has(d.src)) {{
      const text = await (await fetch(d.src)).text();
      texts.set(d.src, new DOMParser().parseFromString(text, 'image/svg+xml').documentElement);
    }}
    return texts.get(d.src);
  }}
  function fontSize(svg) {{
    const css = [...svg.querySelectorAll('style')].map((s) => s.textContent).join('');
    const id = svg.id.replace(/[.*+?^${{}}()|[\\]\\\\]/g, '\\\\$&');
    const own = id && css.match(new RegExp('#' + id + '\\\\s*\\\\{{[^}}]*?font-size:\\\\s*([\\\\d.]+)px'));
    const first = css.match(/font-size:\\s*([\\d.]+)px/);
    return parseFloat((own || first || [, '16'])[1]);
  }}
  const out = [];
  const diagrams = [...document.querySelectorAll('{DIAGRAMS}')];
  for (const [i, el] of diagrams.entries()) {{
    el.scrollIntoView({{ block: 'center' }});
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const row = {{ number: i + 1, key: el.dataset.diagram || '', whole: false, label_px: 0,
                  shown_px: 0, natural_px: 0, box_px: el.clientWidth, column_px: 0 }};
    out.push(row);
    const column = el.closest('.md-content__inner') || el.parentElement;
    const c = column.getBoundingClientRect(), cs = getComputedStyle(column);
    const [left, right] = [c.left + parseFloat(cs.paddingLeft), c.right - parseFloat(cs.paddingRight)];
    row.column_px = Math.round(right - left);
    const d = shown(el);
    if (!d) continue;  // not drawn: neither whole nor readable
    const r = d.getBoundingClientRect();
    const svg = await drawingOf(d);
    const natural = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width;
    row.shown_px = Math.round(r.width * 10) / 10;
    row.natural_px = natural || 0;
    row.whole = el.scrollWidth <= el.clientWidth + 1 && r.left >= left - 1 && r.right <= right + 1;
    row.label_px = natural ? Math.round(fontSize(svg) * r.width / natural * 10) / 10 : 0;
  }}
  window.scrollTo(0, 0);
  return out;
}}"""


@dataclass
class Fit:
    """One diagram as shown: page, its number on the page (as its buttons name
    it: "Open larger view of diagram N") and key, and how it reads."""

    page: str
    number: int
    key: str
    whole: bool
    label_px: float
    shown_px: float
    natural_px: float
    box_px: int
    column_px: int

    def readable(self, min_label: float) -> bool:
        return self.whole and self.label_px >= min_label

    def describe(self, min_label: float) -> str:
        problems = []
        if not self.shown_px:
            problems.append("not drawn")
        elif not self.whole:
            problems.append(f"needs sideways scrolling (drawn {self.shown_px:g} px wide in a {self.column_px} px column)")
        if self.shown_px and self.label_px < min_label:
            problems.append(f"labels {self.label_px:g} px (under {min_label:g})")
        return f"{self.page}: diagram {self.number} ({self.key}): " + ", ".join(problems or ["fine"])


def diagram_pages(site_dir: Path) -> list[str]:
    """The built pages that hold a diagram, as paths relative to the site root."""
    def html(url: str) -> Path:
        return site_dir / url / "index.html" if url == "" or url.endswith("/") else site_dir / url

    return [url for url in site_pages(site_dir) if ' data-diagram="' in html(url).read_text(encoding="utf-8")]


def measure_site(browser, base: str, pages: list[str], screen: dict, color_scheme: str = "light") -> list[Fit]:
    """Every diagram of `pages` (relative to `base`), measured in a fresh context of `screen`."""
    context = browser.new_context(color_scheme=color_scheme, **screen)
    block_other_hosts(context, base)
    page = context.new_page()
    fits = []
    try:
        for url in pages:
            page.goto(base + url, wait_until="load")
            fits += [Fit(url or "/", **row) for row in page.evaluate(MEASURE)]
    finally:
        context.close()
    return fits


def summary(fits: list[Fit], screen: dict, min_label: float) -> str:
    width = screen["viewport"]["width"]
    whole = [f for f in fits if f.whole]
    labels = [f.label_px for f in fits if f.shown_px]
    return (f"{width} px: {len(fits)} diagrams, {len(whole)} show whole, "
            f"{sum(f.readable(min_label) for f in fits)} whole with labels >= {min_label:g} px, "
            f"smallest label {min(labels, default=0):g} px")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print how the built site's diagrams fit a desktop and a phone screen.")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"diagram_fit: {args.site_dir} is not a built site (no index.html); run `make build`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    pages = diagram_pages(args.site_dir)
    with serving(args.site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        for screen, min_label in ((DESKTOP, DESKTOP_MIN_LABEL), (PHONE, PHONE_MIN_LABEL)):
            fits = measure_site(browser, base, pages, screen)
            for fit in fits:
                if not fit.readable(min_label):
                    print(fit.describe(min_label))
            print(summary(fits, screen, min_label), flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
