"""Headless Chromium for the site's scripts and tests (Playwright's Python API).

Uses the system Chromium (CHROMIUM env variable, else /usr/bin/chromium); the
project never runs `playwright install`, which downloads a browser and fails
offline. Every request to another host is aborted and recorded: the site must
work with nothing but its own server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # no calls home to Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"Chromium not found at {path}; install Debian's package (apt-get install chromium) or set CHROMIUM"
        )
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=ARGS)


def block_other_hosts(context, base_url: str) -> list[str]:
    """Abort every request not to base_url's host:port; return the list of those URLs."""
    own = urlsplit(base_url).netloc
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).netloc == own:
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    return blocked
