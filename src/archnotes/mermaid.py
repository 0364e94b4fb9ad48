"""The vendored mermaid: where it is, which version, and parsing diagrams with it.

scripts/vendor_mermaid.py copies mermaid's ESM build (ENTRY and its chunk
folder) and its one-file UMD build (UMD, for the offline edition) into
docs/assets/javascripts/mermaid/ and records the version and checksums in
MERMAID.json. The paths below are relative to docs_dir, which are also the
URLs under the built site's root. mkdocs.yml (mermaid2's `javascript`) and
assets/javascripts/diagram-live.mjs (MERMAID_URL) name ENTRY too;
tests/site/test_editions_module.py holds them to it.
"""

from __future__ import annotations

import json
from pathlib import Path

from archnotes.browser import block_other_hosts, launch
from archnotes.serve_site import serving

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "assets/javascripts/mermaid"
ENTRY = f"{FOLDER}/mermaid.esm.min.mjs"  # the ES module the browser imports
CHUNKS = f"{FOLDER}/chunks/mermaid.esm.min"  # the entry's chunks, loaded on demand
UMD = f"{FOLDER}/mermaid.min.js"  # the classic-script build: the offline edition's
RECORD = ROOT / "MERMAID.json"  # version and SHA-256 of every vendored file


def version() -> str:
    return json.loads(RECORD.read_text(encoding="utf-8"))["version"]


PARSE_ALL = """
async ({url, sources}) => {
  const mermaid = (await import(url)).default;
  const results = [];
  for (const src of sources) {
    try { await mermaid.parse(src); results.push(null); }
    catch (e) { results.push(String(e && e.message || e)); }
  }
  return results;
}
"""
BLANK = "__check_diagrams__.html"  # a same-origin empty page, from which mermaid can be imported


def parse_sources(site_dir: Path, sources: list[str]) -> dict[str, str | None]:
    """source -> None if it parses with the site's mermaid (site_dir/ENTRY), else mermaid's message.
    Raises FileNotFoundError without Chromium, ImportError without Playwright."""
    from playwright.sync_api import sync_playwright

    unique = list(dict.fromkeys(sources))  # the print page repeats them
    if not (Path(site_dir) / ENTRY).is_file():
        raise FileNotFoundError(f"{site_dir} has no {ENTRY}")
    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            context = browser.new_context()
            block_other_hosts(context, base)
            context.route(base + BLANK, lambda r: r.fulfill(body="<!doctype html><title>check</title>", content_type="text/html"))
            page = context.new_page()
            page.goto(base + BLANK)
            messages = page.evaluate(PARSE_ALL, {"url": base + ENTRY, "sources": unique})
        finally:
            browser.close()
    return dict(zip(unique, messages))
