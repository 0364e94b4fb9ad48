"""Print the site's speed and weight numbers (never pass/fail; see `make test` for that).

    python scripts/bench.py [--site-dir site] [--runs 5]

- build: wall time of `mkdocs build --strict`, median of --runs fresh runs;
- the PDF edition: wall time of scripts/build_pdf.py, which writes it into
  the site; its size and number of pages;
- weight: first-load bytes of every page as a browser fetches them (HTML and
  every same-site CSS, JS, font, image and mermaid chunk), raw and gzip level 6
  (what typical hosting sends), in a fresh browser context at desktop and phone
  size: for the first view, and after scrolling through every diagram;
- diagrams as shown, at 1280x900 and on a 390x844 phone: how many show whole,
  how many of those with labels of at least 11 px (desktop) or 10 px (phone),
  and the smallest label (scripts/diagram_fit.py, as tests/browser/test_diagram_fit.py
  measures them);
- the examples' Run button (Pyodide): bytes fetched (raw and gzip level 6) and
  time from the click to the first output, cold (a fresh browser), warm (the
  same page again: the worker is running) and on the next page (a full load,
  runtime from the browser's cache, served with GitHub Pages' max-age=600);
- checkers: wall time of check_links and check_diagrams on the built site,
  median of --runs runs (check_diagrams as `make test` runs it; once more with
  --all, which parses the diagrams drawn before the build too).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from archnotes.browser import ARGS, block_other_hosts, chromium_path, draw_all_diagrams, launch, wait_for_diagrams_in_view
from archnotes.editions import PDF_FILE
from archnotes.serve_site import serving, site_pages
from diagram_fit import DESKTOP, DESKTOP_MIN_LABEL, PHONE, PHONE_MIN_LABEL, diagram_pages, measure_site, summary

ROOT = Path(__file__).resolve().parents[1]

PY = sys.executable
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def build_times(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            times.append(timed([PY, "-m", "mkdocs", "build", "--strict", "--site-dir", tmp]))
    return times


def pdf_edition(site_dir: Path) -> tuple[float, Path]:
    """Make the PDF edition into site_dir (the site's /print/ links to it): wall time, path."""
    started = time.perf_counter()
    done = subprocess.run([PY, "scripts/build_pdf.py", "--site-dir", str(site_dir)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"bench: scripts/build_pdf.py failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, site_dir / PDF_FILE


def fetched(responses, since: int = 0) -> tuple[int, int, int, int]:
    """(requests, raw bytes, gzip-6 bytes, mermaid gzip-6 bytes) of responses[since:]."""
    bodies = [(r.url, r.body()) for r in responses[since:] if r.status < 300 or r.status == 404]
    packed = [(u, len(gzip.compress(b, 6))) for u, b in bodies]
    return (len(bodies), sum(len(b) for _, b in bodies), sum(n for _, n in packed),
            sum(n for u, n in packed if "/mermaid/" in u))


def page_weights(site_dir: Path, viewport: dict) -> list[tuple[str, tuple, tuple]]:
    """Per page: what the first view fetched, and the total after scrolling through every diagram."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        for url in site_pages(site_dir):
            context = browser.new_context(viewport=viewport)
            block_other_hosts(context, base)
            page = context.new_page()
            responses = []
            page.on("response", responses.append)
            page.goto(base + url)
            wait_for_diagrams_in_view(page)
            page.wait_for_load_state("networkidle")
            first = fetched(responses)
            draw_all_diagrams(page)
            page.wait_for_load_state("networkidle")
            rows.append((url or "/", first, fetched(responses)))
            context.close()
        browser.close()
    return rows


# Time from the click on Run to the first output, measured in the page (block.firstOutputMs).
CLICK_TO_OUTPUT = """block => {
  const output = block.querySelector("output");
  let clicked;
  delete block.firstOutputMs;
  new MutationObserver((_, observer) => {
    if (output.textContent) { observer.disconnect(); block.firstOutputMs = performance.now() - clicked; }
  }).observe(output, { childList: true, characterData: true, subtree: true });
  block.querySelector("[data-example-action=run]").addEventListener("click", () => (clicked = performance.now()),
    { capture: true, once: true });
}"""
RUN_PAGES = ("component/raft/", "component/circuit-breaker/", "software/sqlalchemy/")


def served_files() -> list[Path]:
    """Every file the test server sends from now on (what crossed the wire, not the browser's cache)."""
    import serve_site

    sent: list[Path] = []
    send_file = serve_site.SiteHandler.send_file

    def recording(self, path, status):
        sent.append(Path(path))
        return send_file(self, path, status)

    serve_site.SiteHandler.send_file = recording
    return sent


def weight(files: list[Path]) -> tuple[int, int, int]:
    """(files, raw bytes, gzip-6 bytes)."""
    bodies = [f.read_bytes() for f in files if f.is_file()]
    return len(bodies), sum(map(len, bodies)), sum(len(gzip.compress(b, 6)) for b in bodies)


def run_example(page, base: str, url: str, sent: list) -> tuple[float, tuple]:
    """Click the page's first Run button: (ms to first output, what the server sent from the click on)."""
    block = page.locator("[data-example]").first
    since = len(sent)
    block.evaluate(CLICK_TO_OUTPUT)
    block.get_by_role("button", name="Run " + block.get_attribute("data-example").split("/")[-1]).click()
    page.wait_for_function("b => b.querySelector('output').getAttribute('aria-busy') === 'false'",
                           arg=block.element_handle(), timeout=120_000)
    ms = block.evaluate("b => b.firstOutputMs")
    if ms is None:
        raise SystemExit(f"bench: {url}: no output; the page says {block.locator('[data-example-part=status]').text_content()!r}")
    return ms, weight(sent[since:])


def example_runs(site_dir: Path) -> list[str]:
    """One line per run: cold, warm, then the next pages, in one browser context."""
    from playwright.sync_api import sync_playwright

    lines = []
    sent = served_files()
    # A profile on disk: a fresh context's cache is in memory and too small for the runtime.
    with (serving(site_dir, 0, max_age=600) as base, sync_playwright() as p,
          tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile):
        context = p.chromium.launch_persistent_context(profile, executable_path=chromium_path(), args=ARGS,
                                                       headless=True, viewport=VIEWPORTS["desktop"])
        # No block_other_hosts here: Playwright turns the HTTP cache off for a routed context.
        # (tests/browser/test_examples_run.py checks that nothing loads from another host.)
        page = context.new_page()
        for label, url in [("cold", RUN_PAGES[0]), ("warm, same page", RUN_PAGES[0]),
                           ("next page (cached)", RUN_PAGES[1]), ("next page, SQLAlchemy (cached + 2 wheels)", RUN_PAGES[2])]:
            if label != "warm, same page":
                page.goto(base + url)
            ms, (count, raw, packed) = run_example(page, base, url, sent)
            lines.append(f"{label:44} {url:28} {ms:>8.0f} ms {count:>4} req"
                         f" {raw / 1e6:>6.2f} MB raw {packed / 1e6:>6.2f} MB gzip")
        context.close()
    return lines


def diagram_fit(site_dir: Path) -> list[str]:
    """One summary line per screen: how the diagrams read at 1280x900 and on a phone."""
    from playwright.sync_api import sync_playwright

    lines = []
    with serving(site_dir, 0) as base, sync_playwright() as p:
        browser = launch(p)
        for screen, min_label in ((DESKTOP, DESKTOP_MIN_LABEL), (PHONE, PHONE_MIN_LABEL)):
            lines.append(summary(measure_site(browser, base, diagram_pages(site_dir), screen), screen, min_label))
        browser.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print build time, page weight and checker speed.")
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not (args.site_dir / "index.html").is_file():
        print(f"bench: {args.site_dir} is not a built site; run `make build`", file=sys.stderr)
        return 2

    times = build_times(args.runs)
    print(f"build (mkdocs build --strict): median {statistics.median(times):.2f} s "
          f"of {args.runs} runs (min {min(times):.2f}, max {max(times):.2f})")

    seconds, pdf = pdf_edition(args.site_dir)
    print(f"PDF edition (scripts/build_pdf.py: build mkdocs-pdf.yml, print in Chromium): {seconds:.1f} s, "
          f"{pdf.stat().st_size / 1e6:.1f} MB, {len(PdfReader(pdf).pages)} pages")

    for name, viewport in VIEWPORTS.items():
        print(f"\nfirst load per page, {name} {viewport['width']}x{viewport['height']} (fresh browser, KB = 1000 bytes):")
        print(f"{'page':36} {'first view: req':>15} {'raw KB':>8} {'gzip KB':>8} {'mermaid':>8}"
              f"   {'whole page: gzip KB':>19} {'mermaid':>8}")
        for url, (count, raw, packed, mermaid), (_, _, all_packed, all_mermaid) in page_weights(args.site_dir, viewport):
            print(f"{url:36} {count:>15} {raw / 1000:>8.1f} {packed / 1000:>8.1f} {mermaid / 1000:>8.1f}"
                  f"   {all_packed / 1000:>19.1f} {all_mermaid / 1000:>8.1f}")

    print("\nthe examples' Run button: click to first output, and what it fetched (MB = 10^6 bytes):")
    for line in example_runs(args.site_dir):
        print(line)

    print("\ndiagrams as shown (scripts/diagram_fit.py; 390 px is a phone: mobile viewport, touch):")
    for line in diagram_fit(args.site_dir):
        print(line)

    print()
    links = [timed([PY, "scripts/check_links.py", "--site-dir", str(args.site_dir)]) for _ in range(args.runs)]
    print(f"check_links --site-dir (wall, incl. Python start): median {statistics.median(links):.2f} s "
          f"of {args.runs} runs (min {min(links):.2f}, max {max(links):.2f})")
    diagrams = [timed([PY, "scripts/check_diagrams.py", "--site-dir", str(args.site_dir)]) for _ in range(args.runs)]
    print(f"check_diagrams --site-dir (wall): median {statistics.median(diagrams):.2f} s of {args.runs} runs")
    diagrams = timed([PY, "scripts/check_diagrams.py", "--site-dir", str(args.site_dir), "--all"])
    print(f"check_diagrams --site-dir --all (wall, incl. Chromium start): {diagrams:.2f} s")
    if (ROOT / "scripts" / "bench_links.py").is_file():
        print()
        subprocess.run([PY, "scripts/bench_links.py", "--site-dir", str(args.site_dir)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
