"""Which http(s) links fail to answer (--external): each URL fetched once, many at a time."""

from __future__ import annotations

import time

from .scan import Problem, Scan

EXTERNAL_TIMEOUT = 10.0
EXTERNAL_RETRIES = 1
USER_AGENT = "check_links.py (MkDocs link checker)"


def check_external(scan: Scan) -> list[Problem]:
    """Fetch each external URL once (the per-run cache), many at a time."""
    from concurrent.futures import ThreadPoolExecutor

    urls = sorted({url for _, url in scan.external})
    with ThreadPoolExecutor(max_workers=max(1, min(16, len(urls)))) as pool:
        errors = dict(zip(urls, pool.map(fetch_error, urls)))
    broken = []
    for problem, url in scan.external:
        if errors[url]:
            problem.detail = errors[url]
            broken.append(problem)
    return broken


def fetch_error(url: str) -> str | None:
    """None if the URL answers, else the HTTP status or the error, after retries."""
    import urllib.error
    import urllib.request

    error = None
    for attempt in range(EXTERNAL_RETRIES + 1):
        if attempt:
            time.sleep(0.2 * attempt)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=EXTERNAL_TIMEOUT):
                return None
        except urllib.error.HTTPError as err:
            error = f"HTTP {err.code}"
            if err.code < 500 and err.code != 429:
                return error  # a client error will not change on retry
        except (urllib.error.URLError, OSError, ValueError) as err:
            error = str(getattr(err, "reason", err))
    return error
