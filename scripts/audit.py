"""`make audit`: Lighthouse on every page of the built site, and known vulnerabilities of the pins.

    python scripts/audit.py --site-dir site [--pages / component/raft/ ...] [--runs 3]
                            [--desktop-runs 1] [--preset both|desktop|mobile]
                            [--only lighthouse|deps] [--json FILE] [--keep DIR]

An audit, not a test: it takes minutes (each Lighthouse run starts Chromium and
loads the page under throttling, ~12 s) and its numbers depend on the machine.

Lighthouse (tools/audit, npm ci --prefix tools/audit; 12.2.3 is the newest that
runs on Node 20) audits each page of sitemap.xml, served on 127.0.0.1 by
src/archnotes/serve_site.py with gzip, as real hosting serves it. Targets:
  desktop: 100 in performance, accessibility, best practices and SEO, every page;
  mobile:  performance >= 95, the median of --runs runs (default 3).
Chromium gets a dead proxy (127.0.0.1:9): loopback bypasses it, so any request
to another host fails instead of leaving the machine.

Dependencies: pip-audit (pinned in tools/audit/requirements.txt, its own venv
.venv/pip-audit) on requirements.txt + requirements-test.txt, and `npm audit`
on package-lock.json with devDependencies included (mermaid is one). A pin
that pip-audit cannot check (its per-version JSON unreachable) is checked in
PyPI's project JSON when it is the latest release, whose vulnerability list
that document carries; otherwise it stays unchecked. A finding
fails the audit unless KNOWN_VULNERABILITIES below explains it. A data source
that cannot be reached also fails it: "could not check" is not "no findings".

Exit status: 0 every target met; 1 a target missed, a vulnerability, or a
dependency check that could not run; 2 usage error or a tool that failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from archnotes.browser import chromium_path
from archnotes.serve_site import serving

ROOT = Path(__file__).resolve().parents[1]

LIGHTHOUSE = ROOT / "tools" / "audit" / "node_modules" / ".bin" / "lighthouse"
PIP_AUDIT = ROOT / ".venv" / "pip-audit" / "bin" / "pip-audit"
REQUIREMENTS = ["requirements.txt", "requirements-test.txt"]
PYPI = "https://pypi.org"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --proxy-server=http://127.0.0.1:9"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
DESKTOP_TARGET = 100
MOBILE_PERFORMANCE_TARGET = 95
RUN_TIMEOUT = 240
RETRIES = 2  # a run without a score (e.g. NO_FCP on a busy machine) is run again, at most twice

# Vulnerability ID (PYSEC-/GHSA-/CVE-, or the npm advisory URL) -> why it does
# not affect this project. Empty: every finding fails the audit.
KNOWN_VULNERABILITIES: dict[str, str] = {}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- pages ------------------------------------------------------------------

def site_pages(site_dir: Path) -> list[str]:
    """Every page MkDocs built, as paths under the site root ("" is home), from sitemap.xml."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        raise FileNotFoundError(f"{sitemap} not found; build the site first")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = [urlsplit(loc.text.strip()).path for loc in ET.parse(sitemap).getroot().findall("s:url/s:loc", ns)]
    base = min(paths, key=len)  # the home page: site_url's own path
    return [p[len(base):] for p in paths]


def normalise(page: str) -> str:
    page = page.strip().lstrip("/")
    return "" if page in ("", "index.html") else page


# --- Lighthouse -------------------------------------------------------------

def run_lighthouse(url: str, preset: str, out: Path, chrome: str) -> tuple[dict, float]:
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
           f"--chrome-flags={CHROME_FLAGS}", "--max-wait-for-load=30000",
           f"--only-categories={','.join(CATEGORIES)}"]
    if preset == "desktop":
        cmd.append("--preset=desktop")
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                          env={**os.environ, "CHROME_PATH": chrome})  # Lighthouse's own name for it
    seconds = time.monotonic() - start
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}, rc {done.returncode}): {done.stderr.strip()[-800:]}")
    report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {url} ({preset}): {report['runtimeError'].get('message')}")
    return report, seconds


def score(report: dict, category: str) -> int | None:
    value = report["categories"].get(category, {}).get("score")
    return None if value is None else round(value * 100)


def summarise(page: str, preset: str, reports: list[dict]) -> dict:
    """The median run by performance score, with every run's performance score."""
    ranked = sorted(reports, key=lambda r: score(r, "performance") or 0)
    report = ranked[(len(ranked) - 1) // 2]  # median (the lower one for an even count)
    audits = report["audits"]

    def value(audit_id):
        return audits.get(audit_id, {}).get("numericValue")

    failing = {}
    for category in CATEGORIES:
        if score(report, category) == 100:
            continue
        for ref in report["categories"][category]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.setdefault(category, []).append(
                    f"{ref['id']} ({audit['score']:.2f}{', ' + audit['displayValue'] if audit.get('displayValue') else ''})")
    return {
        "page": page or "/", "preset": preset,
        "scores": {c: score(report, c) for c in CATEGORIES},
        "performance_runs": [score(r, "performance") for r in reports],
        "lcp_ms": value("largest-contentful-paint"), "tbt_ms": value("total-blocking-time"),
        "cls": value("cumulative-layout-shift"), "bytes": value("total-byte-weight"),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "failing_audits": failing,
        "external_requests": sorted({
            item["url"] for item in (audits.get("network-requests", {}).get("details") or {}).get("items", [])
            if item["url"].startswith("http") and urlsplit(item["url"]).hostname != "127.0.0.1"}),
    }


def misses(result: dict) -> list[str]:
    s = result["scores"]
    if result["preset"] == "desktop":
        return [f"{c} {s[c]} < {DESKTOP_TARGET}" for c in CATEGORIES if (s[c] or 0) < DESKTOP_TARGET]
    if (s["performance"] or 0) < MOBILE_PERFORMANCE_TARGET:
        return [f"performance {s['performance']} < {MOBILE_PERFORMANCE_TARGET}"]
    return []


def fmt(value, pattern: str, divisor: float = 1) -> str:
    return "?" if value is None else pattern.format(value / divisor)


def print_table(results: list[dict]) -> None:
    head = ["page", "preset", "perf", "a11y", "best-pr", "SEO", "LCP", "TBT", "CLS", "KiB", "perf runs"]
    rows = []
    for r in results:
        s = r["scores"]
        rows.append([
            r["page"], r["preset"], *(f"{s[c]}{'*' if any(m.startswith(c) for m in misses(r)) else ''}" for c in CATEGORIES),
            fmt(r["lcp_ms"], "{:.2f} s", 1000), fmt(r["tbt_ms"], "{:.0f} ms"), fmt(r["cls"], "{:.3f}"),
            fmt(r["bytes"], "{:.0f}", 1024),
            ",".join(str(p) for p in r["performance_runs"]),
        ])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(str(x).ljust(w) if i < 2 else str(x).rjust(w) for i, (x, w) in enumerate(zip(row, widths))))


def lighthouse_and_chromium() -> str:
    """The Chromium that Lighthouse is to drive; FileNotFoundError if it or Lighthouse is missing."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} not found; run `npm ci --prefix tools/audit`")
    return chromium_path()


def chosen_pages(site_dir: Path, wanted: list[str] | None) -> list[str]:
    """The pages to audit: those asked for, which must be pages of the site, else all of them."""
    available = site_pages(site_dir)
    pages = [normalise(p) for p in wanted] if wanted else available
    unknown = [p or "/" for p in pages if p not in available]
    if unknown:
        raise ValueError(f"not pages of this site (see sitemap.xml): {', '.join(unknown)}")
    return pages


def runs_per_preset(args) -> dict[str, int]:
    presets = {"both": ["desktop", "mobile"], "desktop": ["desktop"], "mobile": ["mobile"]}[args.preset]
    runs = {"desktop": args.desktop_runs, "mobile": args.runs}
    return {preset: runs[preset] for preset in presets}


def scored_run(url: str, preset: str, out: Path, chrome: str, label: str) -> tuple[dict, float]:
    """One Lighthouse run that scores every category, run again (RETRIES times at most) while one has no score."""
    for attempt in range(RETRIES + 1):
        report, seconds = run_lighthouse(url, preset, out, chrome)
        broken = [c for c in CATEGORIES if score(report, c) is None]
        if not broken:
            return report, seconds
        # e.g. NO_FCP: "The page did not paint any content", seen on a busy machine
        reason = report["audits"].get("first-contentful-paint", {}).get("errorMessage", "")
        log(f"  {label}: no score for {', '.join(broken)} ({reason[:100]}); {'retrying' if attempt < RETRIES else 'giving up'}")
    raise RuntimeError(f"lighthouse gave no score for {label} in {RETRIES + 1} tries")


@contextlib.contextmanager
def reports_folder(keep: str | None):
    """The folder for Lighthouse's JSON reports: --keep's, else a temporary one, emptied and removed after."""
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="audit-lh-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        if not keep:
            for f in folder.glob("*.json"):
                f.unlink()
            folder.rmdir()


def audit_pages(site_dir: Path, pages: list[str], runs: dict[str, int], chrome: str, folder: Path,
                results: list[dict]) -> None:
    """Every run of every page and preset, served with gzip; appends one summary per page and preset to results."""
    total, done = len(pages) * sum(runs.values()), 0
    with serving(site_dir, 0, use_gzip=True) as base:
        for page in pages:
            for preset, count in runs.items():
                reports = []
                for run in range(1, count + 1):
                    done += 1
                    out = folder / f"{(page or 'home').strip('/').replace('/', '_')}-{preset}-{run}.json"
                    report, seconds = scored_run(base + page, preset, out, chrome, f"{page or '/'} {preset} run {run}")
                    log(f"  [{done}/{total}] {page or '/'} {preset} run {run}: "
                        f"performance {score(report, 'performance')} ({seconds:.1f} s)")
                    reports.append(report)
                results.append(summarise(page, preset, reports))


def print_results(results: list[dict], runs: int, elapsed: float) -> bool:
    """The table, each missed target's failing audits and any request to another host; True if a target was missed."""
    print("\nLighthouse 12.2.3, served with gzip (* = target missed; perf runs = each run, the row is the median)")
    print_table(results)
    failed = False
    for r in results:
        for category, audits in r["failing_audits"].items():
            if any(m.startswith(category) for m in misses(r)):
                print(f"  {r['page']} {r['preset']} {category}: {'; '.join(audits)}")
        if r["external_requests"]:
            print(f"  {r['page']} {r['preset']}: requests to other hosts: {', '.join(r['external_requests'])}")
        failed |= bool(misses(r))
    bench = [r["benchmark_index"] for r in results if r["benchmark_index"]]
    print(f"{runs} runs in {elapsed / 60:.1f} min ({elapsed / max(runs, 1):.1f} s a run); "
          f"Lighthouse CPU benchmark index median {statistics.median(bench) if bench else '?'}; "
          f"load average now {os.getloadavg()[0]:.1f}")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print("note: the machine was busy; mobile performance is throttled by a CPU multiplier and drops under load")
    print("Lighthouse:", "targets missed" if failed else
          f"every target met (desktop {DESKTOP_TARGET} x4, mobile performance >= {MOBILE_PERFORMANCE_TARGET})")
    return failed


def audit_lighthouse(args) -> tuple[int, list[dict]]:
    """Lighthouse on the chosen pages: (0 every target met, 1 one missed, 2 a tool or the input failed; the summaries)."""
    try:
        chrome = lighthouse_and_chromium()
        pages = chosen_pages(args.site_dir, args.pages)
    except (FileNotFoundError, ValueError, ET.ParseError) as err:
        log(f"audit: {err}")
        return 2, []
    runs = runs_per_preset(args)
    total = len(pages) * sum(runs.values())
    log(f"audit: Lighthouse, {len(pages)} pages, {total} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    results: list[dict] = []
    start = time.monotonic()
    try:
        with reports_folder(args.keep) as folder:
            audit_pages(args.site_dir, pages, runs, chrome, folder, results)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as err:
        log(f"audit: {err}")
        return 2, results
    failed = print_results(results, total, time.monotonic() - start)
    return (1 if failed else 0), results


# --- dependencies -------------------------------------------------------------

def explained(ids: list[str]) -> str | None:
    for vid in ids:
        if vid in KNOWN_VULNERABILITIES:
            return KNOWN_VULNERABILITIES[vid]
    return None


def audit_python() -> int:
    """pip-audit on the pinned requirements; 0 clean, 1 findings or not checked, 2 tool missing."""
    if not PIP_AUDIT.exists():
        log(f"audit: {PIP_AUDIT} not found; `make audit` installs it from tools/audit/requirements.txt")
        return 2
    cmd = [str(PIP_AUDIT), "--no-deps", "--disable-pip", "--vulnerability-service", "pypi",
           "--format", "json", "--progress-spinner", "off"]
    for req in REQUIREMENTS:
        cmd += ["-r", str(ROOT / req)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    try:
        deps = json.loads(done.stdout)["dependencies"]
    except (ValueError, KeyError):
        print(f"pip-audit: could not run (rc {done.returncode}): {done.stderr.strip()[-600:]}")
        return 1
    vulns = [(d, v) for d in deps for v in d.get("vulns", [])]
    skipped = [d for d in deps if d.get("skip_reason")]
    status = 0
    for dep, vuln in vulns:
        why = explained([vuln["id"], *vuln.get("aliases", [])])
        print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} "
              f"(fixed in {', '.join(vuln.get('fix_versions') or ['?'])}): "
              + (f"accepted: {why}" if why else vuln.get("description", "").strip()[:200]))
        status |= 0 if why else 1
    if skipped:
        print(f"pip-audit: {len(skipped)} of {len(deps)} pinned packages could not be checked, e.g. "
              f"{skipped[0]['skip_reason']}")
        print("  The vulnerability data comes from https://pypi.org/pypi/NAME/VERSION/json; if that answers 404 for"
              " packages that exist (as behind a registry cache that serves only /simple and /pypi/NAME/json), the"
              " result is unknown, not clean.")
    audited = len(deps) - len(skipped)
    print(f"pip-audit: {audited} of {len(deps)} packages checked, {len(vulns)} known vulnerabilities"
          f"{' (all explained above)' if vulns and not status else ''}")
    if skipped:
        pins = pinned_versions()
        status |= audit_latest_releases([(d["name"], pins.get(canonical(d["name"]), "?")) for d in skipped])
    return status


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def pinned_versions() -> dict[str, str]:
    """name -> version of every `name==version` line of the requirements files."""
    pins = {}
    for req in REQUIREMENTS:
        for line in (ROOT / req).read_text(encoding="utf-8").splitlines():
            if m := re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)", line):
                pins[canonical(m[1])] = m[2]
    return pins


def audit_latest_releases(pins: list[tuple[str, str]], index: str = PYPI) -> int:
    """The pins pip-audit could not check, through PyPI's project JSON (/pypi/NAME/json).

    That document describes the project's latest release, and its
    `vulnerabilities` array lists the known vulnerabilities of that release
    (https://docs.pypi.org/api/json/, "Get a project"): for a pin that is the
    latest release it is the very list pip-audit reads from
    /pypi/NAME/VERSION/json, so the pin is checked; any other pin stays
    unknown. 0 every pin checked and clean, 1 otherwise."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    def project(pin):
        name, version = pin
        try:
            with urlopen(f"{index}/pypi/{name}/json", timeout=30) as response:
                data = json.load(response)
            return name, version, data["info"]["version"], data.get("vulnerabilities")
        except (OSError, ValueError, KeyError) as err:
            return name, version, f"unreachable: {err}", None

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(project, pins))
    status, checked, unknown, found = 0, 0, [], 0
    for name, version, latest, vulnerabilities in answers:
        if latest != version or vulnerabilities is None:
            unknown.append(f"{name} {version} (latest: {latest})")
            continue
        checked += 1
        for vuln in vulnerabilities:
            if vuln.get("withdrawn"):
                continue
            found += 1
            why = explained([vuln.get("id", ""), *(vuln.get("aliases") or [])])
            print(f"pypi.org: {name} {version}: {vuln.get('id')} (fixed in {', '.join(vuln.get('fixed_in') or ['?'])}): "
                  + (f"accepted: {why}" if why else (vuln.get("summary") or vuln.get("details") or "").strip()[:200]))
            status |= 0 if why else 1
    print(f"pypi.org project JSON (the same data, for a pin that is its project's latest release): "
          f"{checked} of {len(pins)} checked, {found} known vulnerabilities")
    if unknown:
        print(f"  not checked (not the latest release, or no answer): {', '.join(unknown)}")
        status = 1
    return status


def audit_npm() -> int:
    """npm audit on package-lock.json, devDependencies included (mermaid is one)."""
    cmd = ["npm", "audit", "--package-lock-only", "--include=dev", "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(f"npm audit: could not run (rc {done.returncode}): {done.stderr.strip()[-600:]}")
        return 1
    if "vulnerabilities" not in report:
        print(f"npm audit: could not check package-lock.json: {report.get('message') or report.get('error')}")
        print("  npm audit POSTs the lock file's packages to the registry's advisory endpoint; a registry (or cache)"
              " that only answers GET cannot say, so the result is unknown, not clean.")
        return 1
    status = 0
    for name, entry in sorted(report["vulnerabilities"].items()):
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue  # vulnerable only through another package, reported there
            ids = [via.get("url", ""), str(via.get("source", ""))]
            why = explained(ids)
            print(f"npm audit: {name} {entry.get('range', '')}: {via.get('severity')} {via.get('title')} {via.get('url')}"
                  + (f": accepted: {why}" if why else ""))
            status |= 0 if why else 1
    counts = report.get("metadata", {}).get("vulnerabilities", {})
    deps = report.get("metadata", {}).get("dependencies", {})
    print(f"npm audit: {deps.get('total', '?')} packages checked, {counts.get('total', 0)} known vulnerabilities"
          f"{' (all explained above)' if counts.get('total') and not status else ''}")
    return status


# --- main ---------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site")
    parser.add_argument("--pages", nargs="+", metavar="PAGE", help="paths under the site root, e.g. / component/raft/")
    parser.add_argument("--runs", type=int, default=3, help="mobile runs per page; the median counts (default 3)")
    parser.add_argument("--desktop-runs", type=int, default=1, help="desktop runs per page (default 1)")
    parser.add_argument("--preset", choices=["both", "desktop", "mobile"], default="both")
    parser.add_argument("--only", choices=["lighthouse", "deps"], help="run one half of the audit")
    parser.add_argument("--json", type=Path, help="also write the Lighthouse summary here")
    parser.add_argument("--keep", help="keep every Lighthouse JSON report in this folder")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.desktop_runs < 1:
        parser.error("--runs and --desktop-runs must be at least 1")
    if args.only != "deps" and not (args.site_dir / "index.html").is_file():
        log(f"audit: {args.site_dir} is not a built site; run `make build` first")
        return 2

    status = 0
    if args.only != "deps":
        status, results = audit_lighthouse(args)
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
        if status == 2:
            return 2
    if args.only != "lighthouse":
        print("\nKnown vulnerabilities of the pinned dependencies")
        py, npm = audit_python(), audit_npm()
        if 2 in (py, npm):
            return 2
        status |= py | npm
    print("\naudit:", "FAILED" if status else "passed")
    return status


if __name__ == "__main__":
    sys.exit(main())
