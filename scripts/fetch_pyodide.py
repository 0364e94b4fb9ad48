"""Fetch the Python that runs the examples in the reader's browser into .cache/pyodide/.

    python scripts/fetch_pyodide.py            # fetch what is missing, then check (make runtime)
    python scripts/fetch_pyodide.py --check    # check the cache against PYODIDE.json; change nothing
    python scripts/fetch_pyodide.py --record   # after a version bump: record the new hashes

The examples' Run buttons run Pyodide, served by the site itself (hooks/examples_runner.py
publishes the cache as assets/pyodide/). It is fetched, not committed: 13 MB of
binaries would weigh on every clone, and both sources are ones `make serve` may reach
on a fresh machine:

* Pyodide's runtime from the npm registry: the version and integrity (SHA-512) that
  package-lock.json pins for `pyodide`, downloaded with Python (no npm needed);
* the examples' libraries from PyPI, by pip, pinned by hash in requirements-browser.txt.

PYODIDE.json records the SHA-256 of every published file and which files an import
needs; the build fails if one is missing or differs.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "pyodide"
RECORD = ROOT / "PYODIDE.json"
REQUIREMENTS = ROOT / "requirements-browser.txt"
LOCK = ROOT / "package-lock.json"
# What loadPyodide() fetches; the rest of the npm package (types, maps, consoles) is not served.
RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
WHEELS = "wheels"
# Pyodide 314 runs CPython 3.14; pip picks the pure-Python files for it.
PIP_TARGET = ["--platform", "any", "--python-version", "3.14", "--implementation", "py", "--abi", "none"]


def fail(message: str) -> None:
    print(f"fetch_pyodide: {message}", file=sys.stderr)
    raise SystemExit(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def locked_pyodide() -> tuple[str, str]:
    """(version, integrity) of pyodide as package-lock.json pins it."""
    entry = json.loads(LOCK.read_text(encoding="utf-8"))["packages"].get("node_modules/pyodide")
    if not entry:
        fail("package-lock.json pins no pyodide; add it to package.json's devDependencies")
    return entry["version"], entry["integrity"]


def download_npm(version: str, integrity: str) -> bytes:
    """The package's tarball from the npm registry, checked against the lock file's integrity."""
    registry = os.environ.get("npm_config_registry", "https://registry.npmjs.org/").rstrip("/")
    url = f"{registry}/pyodide/-/pyodide-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as error:
        fail(f"cannot download {url}: {error}")
    algorithm, _, digest = integrity.partition("-")
    if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != digest:
        fail(f"{url} does not match the integrity in package-lock.json")
    return data


def unpack_runtime(tarball: bytes) -> None:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for name in RUNTIME:
            member = archive.extractfile(f"package/{name}")
            if member is None:
                fail(f"the pyodide package has no {name}; its layout changed, update this script")
            (CACHE / name).write_bytes(member.read())


def download_wheels() -> None:
    """The examples' libraries, by hash; pip stops on any file whose hash differs."""
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes", *PIP_TARGET,
           "--dest", str(CACHE / WHEELS), "-r", str(REQUIREMENTS)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"pip download -r {REQUIREMENTS.name} failed:\n{done.stderr.strip()}")


def recorded() -> dict:
    if not RECORD.is_file():
        fail(f"{RECORD.name} is missing")
    return json.loads(RECORD.read_text(encoding="utf-8"))


def check() -> list[str]:
    """Differences between the cache and PYODIDE.json, one line each."""
    record = recorded()
    problems = []
    if record["version"] != locked_pyodide()[0]:
        problems.append(f"{RECORD.name} is for pyodide {record['version']}, package-lock.json pins {locked_pyodide()[0]}")
    for name, digest in sorted(record["files"].items()):
        path = CACHE / name
        if not path.is_file():
            problems.append(f"missing: .cache/pyodide/{name}")
        elif sha256(path) != digest:
            problems.append(f"checksum differs: .cache/pyodide/{name}")
    return problems


def fetch() -> None:
    version, integrity = locked_pyodide()
    (CACHE / WHEELS).mkdir(parents=True, exist_ok=True)
    if any(not (CACHE / name).is_file() for name in RUNTIME) or check():
        unpack_runtime(download_npm(version, integrity))
    download_wheels()  # pip skips a file already there with the right hash


def record_hashes() -> None:
    record = recorded() if RECORD.is_file() else {"imports": {}}
    files = [CACHE / name for name in RUNTIME] + sorted((CACHE / WHEELS).iterdir())
    record.update(package="pyodide", version=locked_pyodide()[0],
                  files={p.relative_to(CACHE).as_posix(): sha256(p) for p in files})
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify the cache; change nothing")
    parser.add_argument("--record", action="store_true", help="fetch, then record the hashes in PYODIDE.json")
    args = parser.parse_args(argv)
    if not args.check:
        fetch()
    if args.record:
        record_hashes()
    problems = check()
    for line in problems:
        print(f"fetch_pyodide: {line}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); run scripts/fetch_pyodide.py", file=sys.stderr)
        return 1
    print(f"pyodide {recorded()['version']} and {len(recorded()['files']) - len(RUNTIME)} libraries in .cache/pyodide/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
