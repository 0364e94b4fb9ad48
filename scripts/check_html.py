"""Check that every page of a built site is valid HTML, with the Nu HTML Checker.

    python scripts/check_html.py --site-dir site [--all-warnings]

Runs vnu.jar (npm package vnu-jar, pinned in package.json; needs Java 11+)
offline over every .html file under --site-dir, and prints each error as
`path:line: message`. Warnings are printed too but never fail the check; a
warning that repeats is shown three times, then counted (--all-warnings shows
every one). Informational notes (such as "trailing slash on void elements",
which BeautifulSoup writes on the pages mermaid2 re-serialises) are only counted.

Exit status: 0 no errors, 1 one or more errors, 2 usage error or the checker
could not run (no such folder, no HTML files, no java, no vnu.jar).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REPEATS_SHOWN = 3
# C1-only JIT: the checker starts ~40% faster on a short run; its schema code
# then needs a deeper stack than the default (it says so: StackOverflowError).
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"]


def run_vnu(site_dir: Path, jar: Path, java: str) -> list[dict]:
    """vnu's messages for every HTML file under site_dir (raises RuntimeError if it cannot run)."""
    done = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(jar), "--format", "json", "--skip-non-html", str(site_dir)],
        capture_output=True, text=True,
    )
    # vnu writes its JSON report to stderr; rc 1 just means "errors found".
    try:
        return json.loads(done.stderr)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"vnu failed (rc {done.returncode}): {(done.stderr or done.stdout).strip()[:500]}") from None


def location(message: dict, site_dir: Path) -> str:
    """`site/about/index.html:12` for vnu's file: URL and line."""
    path = Path(unquote(urlsplit(message.get("url", "")).path))
    try:
        path = site_dir / path.relative_to(site_dir.resolve())
    except ValueError:
        pass
    line = message.get("lastLine") or message.get("firstLine")
    return f"{path}:{line}" if line else str(path)


def classify(message: dict) -> str:
    """error | warning | info (vnu: type error/non-document-error, or info with subType warning)."""
    kind = message.get("type")
    if kind == "non-document-error":
        return "fatal"
    if kind == "error":
        return "error"
    return "warning" if message.get("subType") == "warning" else "info"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate every HTML file of a built site with the Nu HTML Checker.")
    parser.add_argument("--site-dir", type=Path, required=True, help="the built site (mkdocs build --site-dir)")
    parser.add_argument("--vnu-jar", type=Path, default=VNU_JAR, help="path to vnu.jar (default: from node_modules)")
    parser.add_argument("--all-warnings", action="store_true", help="print every warning, not the first 3 of each kind")
    args = parser.parse_args(argv)

    site_dir = args.site_dir
    if not site_dir.is_dir():
        print(f"check_html: {site_dir} is not a folder; run `make build` first", file=sys.stderr)
        return 2
    pages = sorted(site_dir.rglob("*.html"))
    if not pages:
        print(f"check_html: no .html files under {site_dir}", file=sys.stderr)
        return 2
    java = shutil.which("java")
    if not java:
        print("check_html: java not found (the Nu HTML Checker needs Java 11+)", file=sys.stderr)
        return 2
    if not args.vnu_jar.is_file():
        print(f"check_html: {args.vnu_jar} not found; run `npm ci` (package.json pins vnu-jar)", file=sys.stderr)
        return 2
    try:
        messages = run_vnu(site_dir, args.vnu_jar, java)
    except RuntimeError as err:
        print(f"check_html: {err}", file=sys.stderr)
        return 2

    counts: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for message in messages:
        kind = classify(message)
        counts[kind] += 1
        text = message.get("message", "").strip()
        if kind in ("fatal", "error"):
            print(f"{location(message, site_dir)}: {text}")
        elif kind == "warning":
            seen[text] += 1
            if args.all_warnings or seen[text] <= REPEATS_SHOWN:
                print(f"{location(message, site_dir)}: warning: {text}")
    for text, n in seen.items():
        if not args.all_warnings and n > REPEATS_SHOWN:
            print(f"... and {n - REPEATS_SHOWN} more warnings: {text}")
    if counts["fatal"]:
        print(f"check_html: the checker could not read {counts['fatal']} file(s)", file=sys.stderr)
        return 2
    print(
        f"check_html: {len(pages)} files, {counts['error']} errors, {counts['warning']} warnings"
        f" ({counts['info']} informational notes not shown)"
    )
    return 1 if counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
