"""The print edition: one page, /print/, holding every page of the nav in nav order.

The page is generated (there is no docs/print.md) but is a real MkDocs page:
it gets the theme, relative asset URLs and the other hooks like any page, and
link checkers see it. It is added as the last entry of the navigation (after
the nav of mkdocs.yml is read, so that nav stays the list of written pages),
and left out of the search index: every text on it is indexed on its own page.

Each page's rendered HTML is copied in as a <section id="KEY">, where KEY is
the page's source path ("component/raft.md" -> "component-raft"):

* every id becomes "KEY--id", and so does every attribute that refers to an
  id (href="#...", for, name, aria-labelledby, ...): ids stay unique;
* headings move down one level, under the print page's own h1;
* a link to a page that is on the print page becomes a link to its section
  ("../raft/#terms" -> "#component-raft--terms"), mermaid `click` targets
  included; any other relative link or image is rebased onto the print page.

The wrapper carries data-diagrams="all": the diagram loaders
(assets/javascripts/diagrams.mjs and diagrams-offline.js) then draw every
diagram at once instead of when it nears the viewport, so that printing, or
saving as PDF, gets all of them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

PRINT_URI = "print.md"
TITLE = "Print edition"
DESCRIPTION = "Every page of Architecture Notes on one page, in the order of the navigation, with every diagram drawn."
INTRO = (
    "Every page of the site on one page, in the order of the navigation, with every diagram drawn. "
    "Use your browser's Print command to print it or to save it as a PDF."
)
# `search: exclude` is read by Material's search plugin.
SOURCE = f"""---
title: {TITLE}
description: {DESCRIPTION}
search:
  exclude: true
---

# {TITLE}

{INTRO}
"""
STYLESHEET = "assets/stylesheets/print-edition.css"  # page breaks when printing

# A start tag with its attributes (quoted values may hold any character but their quote).
TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)(\s*/?)>""")
ATTRIBUTE = re.compile(r"""(\s)([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
HEADING = re.compile(r"<(/?)h([1-6])\b")
ID_ATTRIBUTES = {"id", "for", "name"}  # name: the radio groups of content tabs
ID_LIST_ATTRIBUTES = {"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "headers"}
URL_ATTRIBUTES = {"href", "src"}
MERMAID_DIV = re.compile(r'(<div class="mermaid"[^>]*>)(.*?)(</div>)', re.S)
MERMAID_CLICK = re.compile(r'(\bclick\s+\S+\s+href\s+)(&quot;|")(.*?)(&quot;|")')

_nav = None


def on_config(config):
    # On every page, not only this one: instant navigation swaps the content
    # of a page but keeps the <head> of the page it came from.
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    return config


def on_files(files, config):
    # not_in_nav: MkDocs' check for pages missing from the nav must not see it;
    # on_nav adds it.
    page = File.generated(config, PRINT_URI, content=SOURCE, inclusion=InclusionLevel.NOT_IN_NAV)
    files.append(page)
    return files


def on_nav(nav, config, files):
    global _nav
    _nav = nav
    page = files.get_file_from_path(PRINT_URI).page
    if nav.pages:
        nav.pages[-1].next_page, page.previous_page = page, nav.pages[-1]
    nav.items.append(page)
    nav.pages.append(page)
    return nav


@event_priority(-100)  # after every plugin's on_env: the tags plugin fills its listings there
def on_env(env, config, files):
    """Every page's HTML exists now, and no page has been written yet."""
    page = files.get_file_from_path(PRINT_URI).page
    pages = [p for p in _nav.pages if p.file.src_uri != PRINT_URI]
    keys = {p.url: page_key(p) for p in pages}
    sections = "\n".join(section_html(p, keys, page.url) for p in pages)
    page.content += f'<div class="print-edition" data-diagrams="all">\n{sections}\n</div>\n'
    # Material shows the children of the page's h1 as its table of contents.
    entries = [toc_entry(p, keys[p.url]) for p in pages]
    if page.toc.items:
        page.toc.items[0].children = entries
    else:
        page.toc = TableOfContents(entries)
    return env


# --- one page -> one section of the print page ---------------------------------------

def page_key(page) -> str:
    """component/raft.md -> component-raft; index.md -> index."""
    return page.file.src_uri.removesuffix(".md").replace("/", "-")


def section_html(page, keys: dict[str, str], print_url: str) -> str:
    key = keys[page.url]
    body = TAG.sub(lambda m: rewrite_tag(m, page.url, key, keys, print_url), page.content)
    body = HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", body)
    body = MERMAID_DIV.sub(lambda m: m[1] + rewrite_clicks(m[2], page.url, keys, print_url) + m[3], body)
    return f'<section class="print-page" id="{key}" data-src="{html.escape(page.file.src_uri)}">\n{body}\n</section>'


def rewrite_tag(match, page_url: str, key: str, keys: dict[str, str], print_url: str) -> str:
    def attribute(m):
        space, name, equals, raw = m[1], m[2], m[3], m[4]
        quoted = raw[0] in "\"'"
        value = html.unescape(raw[1:-1] if quoted else raw)
        lowered = name.lower()
        if lowered in ID_ATTRIBUTES and value:
            value = f"{key}--{value}"
        elif lowered in ID_LIST_ATTRIBUTES:
            value = " ".join(f"{key}--{v}" for v in value.split())
        elif lowered in URL_ATTRIBUTES:
            value = rebase(value, page_url, keys, print_url, key)
        else:
            return m[0]
        return f'{space}{name}{equals}"{html.escape(value, quote=True)}"'

    return f"<{match[1]}{ATTRIBUTE.sub(attribute, match[2])}{match[3]}>"


def rebase(url: str, page_url: str, keys: dict[str, str], print_url: str, key: str | None = None) -> str:
    """A URL written on the page at page_url, as it must read on the print page."""
    if not url or urlsplit(url).scheme or url.startswith("/"):
        return url  # another site, mailto:, data:, or absolute: the same from anywhere
    if url.startswith("#"):
        return f"#{key}--{url[1:]}" if key and len(url) > 1 else url
    target = urlsplit(urljoin("http://site/" + page_url, url))
    path = target.path[1:]
    if path in keys:  # a page that is on the print page: go to its section
        return f"#{keys[path]}--{target.fragment}" if target.fragment else f"#{keys[path]}"
    rebased = get_relative_url(path, print_url)
    return rebased + (f"?{target.query}" if target.query else "") + (f"#{target.fragment}" if target.fragment else "")


def rewrite_clicks(source: str, page_url: str, keys: dict[str, str], print_url: str) -> str:
    """mermaid `click X href "url"` lines are links, written relative to their page."""
    def click(m):
        return m[1] + m[2] + html.escape(rebase(html.unescape(m[3]), page_url, keys, print_url), quote=False) + m[4]

    return MERMAID_CLICK.sub(click, source)


def toc_entry(page, key: str) -> AnchorLink:
    """The page, and its h2 headings (h3 on the print page)."""
    entry = AnchorLink(html.escape(page.title), key, 2)
    tops = [c for top in page.toc.items for c in (top.children if top.level == 1 else [top])]
    for heading in tops:
        entry.children.append(AnchorLink(heading.title, f"{key}--{heading.id}", heading.level + 1))
    return entry
