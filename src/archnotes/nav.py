"""The site's structure: its sections, where a topic page lives, the nav as a list of pages.

No MkDocs import: hooks, scripts and tests use these with a config's `nav` as
MkDocs or YAML gives it.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

# The seed's four sections, in the seed's order.
SECTIONS = ("organization", "connection", "component", "software")
# The template (docs/_templates/<name>.md) a page of each section follows
# (scripts/new_page.py copies it; tests/site/test_pages.py holds pages to it).
TEMPLATE_OF_SECTION = {
    "organization": "case-study",
    "connection": "pattern",
    "component": "pattern",
    "software": "project-tour",
}


def topic_path(src_uri: str) -> tuple[str, str] | None:
    """(section, slug) for docs/<section>/<slug>.md, else None."""
    parts = PurePosixPath(src_uri).parts
    if len(parts) == 2 and parts[0] in SECTIONS and parts[1].endswith(".md"):
        slug = parts[1][: -len(".md")]
        if slug != "index":
            return parts[0], slug
    return None


def nav_uris(nav) -> list[str]:
    """Every entry of a nav (a config's `nav`: titled or not, nested sections), in order."""
    out = []
    for item in nav or []:
        if isinstance(item, dict):
            for value in item.values():
                out += nav_uris(value) if isinstance(value, list) else [value]
        elif isinstance(item, list):
            out += nav_uris(item)
        else:
            out.append(item)
    return out


def web_url(src_uri: str) -> str:
    """A page's URL in the web edition (use_directory_urls): component/raft.md -> component/raft/."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def docs_label(config) -> str:
    """docs_dir as a writer names it, from the config file's folder: "docs".
    Errors name a page as docs_label/src_uri, the path the writer opens."""
    base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    return Path(os.path.relpath(config.docs_dir, base)).as_posix()
