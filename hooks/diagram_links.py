"""Links in diagrams, written once as docs paths and resolved for each edition.

A mermaid `click` line is a link a reader clicks, but MkDocs never looks inside a
diagram: a URL written there reaches the reader as written. So a diagram names
the page it links to as a Markdown link does, by its file, relative to the page's
own file:

    click T1 href "component/raft.md#linearizable-reads"      (in docs/symptoms.md)

and this hook, for every page of every edition, puts the URL that edition
serves in its place, as MkDocs does for a Markdown link: ../component/raft/#...
on the web (directory URLs), component/raft.html#... in the offline edition
(files, read from file://). hooks/print_page.py then sends those into the one-page
document of the PDF and offline editions like any link of the page. The maps
that hooks/topics.py writes (listed before this hook) name their pages the same way.

A link written as a page's URL (`../raft/`) would be right in one edition only,
and one to a Markdown file that is not a page of the build opens nothing: each
logs a warning naming docs/<file>.md:<line>, which fails the strict build
(tests/site/test_build_errors.py). Links to other sites, to files that are not
pages, and #fragments of the page itself stay as written.

The drawing is made from the resolved source (its key is a hash of it), so the
links inside it are the edition's own; scripts/check_links.py reads them there
(SVG `xlink:href`) and in the build's diagrams.json.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from archnotes.diagram_data import line_map
from archnotes.nav import docs_label

log = logging.getLogger("mkdocs.hooks.diagram_links")

# A mermaid fence, at any indent, and a `click ID href "url"` or `click ID "url"` line in it.
MERMAID_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*mermaid\b.*?\n.*?^(?P=indent)(?P=fence)[ \t]*$",
                           re.M | re.S)
CLICK_URL = re.compile(r'^(?P<head>[ \t]*click[ \t]+\S+[ \t]+(?:href[ \t]+)?)"(?P<url>[^"]*)"', re.M)


@event_priority(-50)  # after hooks/topics.py has written its maps, before hooks/diagrams.py reads the fences
def on_page_markdown(markdown, page, config, files):
    def fence(match):
        def click(m):
            where = Where(page, config, markdown, match.start() + m.start())
            return m["head"] + f'"{resolve(m["url"], page, files, where)}"'
        return CLICK_URL.sub(click, match[0])

    return MERMAID_FENCE.sub(fence, markdown)


@dataclass
class Where:
    """Where a link is written, to name in a warning: docs/<file>.md:<line> (the
    marker's line for a diagram that a hook wrote)."""

    page: object
    config: object
    markdown: str  # the page's Markdown after the hooks before this one
    offset: int  # of the click line in it

    def __str__(self) -> str:
        final_line = self.markdown.count("\n", 0, self.offset)
        lines = line_map(self.page.file.content_string, self.markdown)
        line = lines[final_line] if final_line < len(lines) else 1
        return f"{docs_label(self.config)}/{self.page.file.src_uri}:{line}"


def resolve(url: str, page, files, where) -> str:
    """The URL this edition serves for a diagram link written as a docs path."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith("/"):
        return url  # another site, mailto:, #fragment of this page, or absolute: as written
    path = unquote(parts.path)
    if not path.endswith(".md"):
        if path.endswith("/") or not posixpath.splitext(path)[1]:
            warn(where, url, "is a page's URL, right in one edition only: write the page's Markdown file, "
                 "relative to this one (component/raft.md#terms), which every edition resolves")
        return url
    target = files.get_file_from_path(posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path)))
    if target is None or not target.is_documentation_page() or target.inclusion.is_excluded():
        warn(where, url, "names no page of the site")
        return url
    return get_relative_url(target.url, page.url) + (f"?{parts.query}" if parts.query else "") + \
        (f"#{parts.fragment}" if parts.fragment else "")


def warn(where: Where, url: str, why: str) -> None:
    log.warning(f"{where}: diagram link `{url}` {why}")
