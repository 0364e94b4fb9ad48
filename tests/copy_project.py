"""A copy of the project as a clone has it (plus what is not committed yet), for tests
that run the writer's commands (make serve, make new-page) without touching the worktree.

The copy shares the worktree's .venv and node_modules (symlinks) and its cache of
link-preview cards; run make in it with `-o .venv/bin/.site-installed`, so that it never
installs into the shared .venv.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE = ["make", "-o", ".venv/bin/.site-installed", "-o", ".venv/bin/.test-installed"]


def copy_project(dest: Path) -> Path:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not source.is_symlink():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for shared in (".venv", "node_modules"):
        (dest / shared).symlink_to((ROOT / shared).resolve())
    if (ROOT / ".cache").is_dir():  # link-preview cards already drawn: a faster first build
        shutil.copytree(ROOT / ".cache", dest / ".cache")
    return dest
