"""Headless Chromium for the site's scripts and tests (Playwright's Python API).

Uses the system Chromium (CHROMIUM env variable, else /usr/bin/chromium); the
project never runs `playwright install`, which downloads a browser and fails
offline. Every request to another host is aborted and recorded: the site must
work with nothing but its own server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # no calls home to Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"Chromium not found at {path}; install Debian's package (apt-get install chromium) or set CHROMIUM"
        )
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=ARGS)


def block_other_hosts(context, base_url: str) -> list[str]:
    """Abort every request not to base_url's host:port; return the list of those URLs."""
    own = urlsplit(base_url).netloc
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    return blocked


# A diagram is <div class="diagram"> (drawn before the build: one image per
# palette, or for a diagram with links one inline SVG per palette; CSS shows
# one) or <div class="mermaid"> (drawn in the browser when it comes within one
# screen of the viewport, assets/javascripts/diagrams.mjs). "Drawn" means the
# drawing shown for the current palette is a loaded image, or an SVG that is a
# mermaid diagram and not mermaid's error picture.
DIAGRAMS = "div.diagram, div.mermaid"
SHOWN = """(d) => [...d.querySelectorAll('.diagram__canvas > img, svg[aria-roledescription]')]
  .find((s) => s.getClientRects().length)"""
DRAWN = f"""(d) => {{
  const s = ({SHOWN})(d);
  if (!s) return false;
  return s.tagName === 'IMG' ? s.complete && s.naturalWidth > 0 : s.getAttribute('aria-roledescription') !== 'error';
}}"""
DIAGRAM_COUNTS = f"""() => {{
  const divs = [...document.querySelectorAll('{DIAGRAMS}')];
  const drawn = {DRAWN};
  const near = (d) => d.getBoundingClientRect().top < innerHeight;  // in the first screen
  return {{total: divs.length, drawn: divs.filter(drawn).length,
          near: divs.filter(near).length, nearDrawn: divs.filter(d => near(d) && drawn(d)).length,
          errors: document.querySelectorAll('svg[aria-roledescription=error]').length}};
}}"""
# The palette of the first diagram as shown, "dark" or "default": an image's
# file (KEY-dark.svg), or the colours of an inline SVG's own stylesheet: the
# dark palette's node fill (PALETTE.dark.fill in assets/javascripts/diagram-live.mjs).
SHOWN_THEME = f"""() => {{
  const s = [...document.querySelectorAll('{DIAGRAMS}')].map({SHOWN}).find(Boolean);
  if (!s) return null;
  const dark = s.tagName === 'IMG' ? s.currentSrc.endsWith('-dark.svg')
    : s.querySelector('style').textContent.includes('#2c3354');
  return dark ? 'dark' : 'default';
}}"""


def wait_for_diagrams_in_view(page, timeout: float = 15_000) -> dict:
    """Wait until every diagram in the viewport is drawn. (How far beyond it the
    browser fetches lazy images is its choice: Chromium, 1,250-2,500 px.)"""
    page.wait_for_function(f"(() => {{ const r = ({DIAGRAM_COUNTS})(); return r.errors > 0 || r.nearDrawn === r.near; }})()",
                           timeout=timeout)
    return page.evaluate(DIAGRAM_COUNTS)


def draw_all_diagrams(page, at_least: int = 0, timeout: float = 20_000) -> dict:
    """Scroll every diagram into view, as a reader would, and wait until all are drawn.

    After an instant navigation the URL changes before the new content is in
    place, so callers that expect diagrams pass at_least=1."""
    page.wait_for_function(f"document.querySelectorAll('{DIAGRAMS}').length >= {at_least}", timeout=timeout)
    for i in range(page.locator(DIAGRAMS).count()):
        page.locator(DIAGRAMS).nth(i).scroll_into_view_if_needed()
    page.wait_for_function(f"(() => {{ const r = ({DIAGRAM_COUNTS})(); return r.errors > 0 || r.drawn === r.total; }})()",
                           timeout=timeout)
    page.evaluate("window.scrollTo(0, 0)")
    # Scrolling back makes Material fade the header title; wait for that to end
    # so that what is measured next (contrast, screenshots) is the resting page.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", timeout=timeout)
    return page.evaluate(DIAGRAM_COUNTS)
