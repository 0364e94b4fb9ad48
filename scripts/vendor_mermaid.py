"""Refresh the self-hosted copy of mermaid from the npm registry.

    python scripts/vendor_mermaid.py            # the version pinned in MERMAID.json
    python scripts/vendor_mermaid.py 11.17.2    # pin another version

The site serves mermaid's ESM build from docs/assets/javascripts/mermaid/: the
entry file plus its chunk folder, without source maps or the other bundle
flavours (npm's dist/ is 84 MB; this is 3.5 MB, and a page fetches only the
chunks its diagram types need). Beside it sits the one-file UMD build,
mermaid.min.js, for the offline edition only: pages opened from disk (file://)
cannot load ES modules, so that edition loads it with a classic <script>
(hooks/offline_edition.py); the web site never requests it. MERMAID.json
records the version and a SHA-256 of every copied file; `--check` verifies the
copy against it (run by the tests).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from archnotes import mermaid
from archnotes.mermaid import RECORD

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / mermaid.FOLDER
# Their paths in TARGET, as in mermaid's dist/ folder.
ENTRY = Path(mermaid.ENTRY).relative_to(mermaid.FOLDER).as_posix()
CHUNKS = Path(mermaid.CHUNKS).relative_to(mermaid.FOLDER)
UMD = Path(mermaid.UMD).relative_to(mermaid.FOLDER).as_posix()  # the classic-script build, for the offline edition


def fail(message: str) -> None:
    print(f"vendor_mermaid: {message}", file=sys.stderr)
    raise SystemExit(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(version: str, workdir: Path) -> Path:
    """npm-install mermaid@version into workdir; return its dist folder."""
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(workdir), f"mermaid@{version}"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"npm install mermaid@{version} failed:\n{done.stderr.strip()}")
    dist = workdir / "node_modules" / "mermaid" / "dist"
    for name in (ENTRY, UMD):
        if not (dist / name).is_file():
            fail(f"mermaid@{version} has no dist/{name}; its layout changed, update this script")
    return dist


def copy(dist: Path) -> list[Path]:
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / CHUNKS).mkdir(parents=True)
    shutil.copy2(dist / ENTRY, TARGET / ENTRY)
    shutil.copy2(dist / UMD, TARGET / UMD)
    for chunk in sorted((dist / CHUNKS).glob("*.mjs")):  # *.mjs leaves out *.mjs.map
        shutil.copy2(chunk, TARGET / CHUNKS / chunk.name)
    return sorted(p for p in TARGET.rglob("*") if p.is_file())


def record(version: str, files: list[Path]) -> None:
    data = {
        "package": "mermaid",
        "version": version,
        "build": f"dist/{ENTRY} + dist/{CHUNKS.as_posix()}/*.mjs + dist/{UMD}",
        "files": {p.relative_to(TARGET).as_posix(): sha256(p) for p in files},
    }
    RECORD.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def check() -> list[str]:
    """Differences between the vendored files and MERMAID.json, one line each."""
    if not RECORD.is_file():
        return [f"{RECORD.name} is missing; run scripts/vendor_mermaid.py"]
    expected = json.loads(RECORD.read_text(encoding="utf-8"))["files"]
    actual = {p.relative_to(TARGET).as_posix(): p for p in TARGET.rglob("*") if p.is_file()} if TARGET.is_dir() else {}
    problems = [f"missing: {name}" for name in sorted(set(expected) - set(actual))]
    problems += [f"not recorded: {name}" for name in sorted(set(actual) - set(expected))]
    problems += [f"checksum differs: {name}" for name in sorted(set(expected) & set(actual))
                 if sha256(actual[name]) != expected[name]]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", nargs="?", help="mermaid version (default: the one in MERMAID.json)")
    parser.add_argument("--check", action="store_true", help="verify the vendored copy; change nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for line in problems:
            print(f"vendor_mermaid: {line}", file=sys.stderr)
        print("vendored mermaid matches MERMAID.json" if not problems else f"{len(problems)} problem(s)")
        return 1 if problems else 0
    version = args.version or json.loads(RECORD.read_text(encoding="utf-8"))["version"]
    with tempfile.TemporaryDirectory() as tmp:
        files = copy(fetch(version, Path(tmp)))
    record(version, files)
    print(f"vendored mermaid {version}: {len(files)} files, {sum(p.stat().st_size for p in files):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
