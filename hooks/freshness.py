"""When each page last changed, shown at its foot (overrides/partials/source-file.html).

The date is the last commit that touched the page's source file. Where there
is no git history (a source tarball, a shallow export), it falls back to the
file's modification time, which archives keep, and says so.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from functools import cache
from pathlib import Path


@cache
def _git_available(folder: str) -> bool:
    done = subprocess.run(["git", "-C", folder, "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    return done.returncode == 0 and done.stdout.strip() == "true"


def last_changed(path: Path) -> tuple[str, str]:
    """(ISO date, source) where source is 'git' or 'file'."""
    if _git_available(str(path.parent)):
        done = subprocess.run(["git", "-C", str(path.parent), "log", "-1", "--format=%cs", "--", path.name],
                              capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip(), "git"
    return dt.date.fromtimestamp(path.stat().st_mtime).isoformat(), "file"


def on_page_context(context, page, config, nav):
    if page.file.abs_src_path:
        context["last_changed"], context["last_changed_source"] = last_changed(Path(page.file.abs_src_path))
    return context
