"""Which URLs and ids an HTML page holds: links, srcset, mermaid clicks, the build's diagrams.json."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# Attributes that make a browser load or follow a URL, per tag.
URL_ATTRIBUTES = {
    "a": ("href", "xlink:href"), "area": ("href",), "link": ("href",),
    "img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "embed": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "track": ("src",), "object": ("data",),
}
# <link rel=...> values that name an origin to connect to, not a resource.
ORIGIN_ONLY_RELS = {"preconnect", "dns-prefetch"}
# Set by the Markdown renderer on <a>/<img> it made itself: MkDocs rewrites
# exactly those links (not raw HTML), so the mark says how a link was written.
MARK = "data-check-links-md"


@dataclass
class Link:
    """One URL in an HTML page, as the browser sees it (entities decoded)."""

    value: str
    marked: bool = False  # made by the Markdown renderer (see MARK)
    click: bool = False  # a mermaid `click` line's URL


@dataclass
class HtmlPage:
    links: list[Link]
    ids: set[str]
    drawn: list[str] = field(default_factory=list)  # links of <a> inside inline <svg> (drawn diagrams)


class PageParser(HTMLParser):
    """Collects the URLs a page loads or links to, its ids, and mermaid clicks
    (unless clicks=False: the site's diagrams.json lists them)."""

    def __init__(self, clicks: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.clicks = clicks
        self.page = HtmlPage([], set())
        self._mermaid_tag = ""  # tag of the open mermaid container, if any
        self._mermaid_depth = 0
        self._mermaid_text: list[str] = []
        self._svg = 0  # depth of open <svg> elements

    def updatepos(self, i, j):
        return j  # line numbers of the HTML are never used; counting them is slow

    def handle_starttag(self, tag, attrs):
        self._svg += tag == "svg"
        if tag not in URL_ATTRIBUTES and tag not in ("div", "pre") and not self._mermaid_tag:
            # Most tags (code highlighting spans) can only carry an id.
            for name, value in attrs:
                if name == "id":
                    self.page.ids.add(value or "")
            return
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.page.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.page.ids.add(attributes["name"])
        if self._mermaid_tag:  # an HTML label inside a diagram can hold a link too
            self._mermaid_depth += tag == self._mermaid_tag
        elif tag in ("div", "pre") and "mermaid" in attributes.get("class", "").split():
            self._mermaid_tag, self._mermaid_depth, self._mermaid_text = tag, 1, []
            return
        self._collect(tag, attributes)

    def _collect(self, tag, attributes):
        if self._svg and tag == "a":  # builtsite.Site adds them, once each
            self.page.drawn += [link.value for link in collect_links(tag, attributes)]
        else:
            self.page.links += collect_links(tag, attributes)

    def handle_endtag(self, tag):
        self._svg -= tag == "svg" and self._svg > 0
        if self._mermaid_tag and tag == self._mermaid_tag:
            self._mermaid_depth -= 1
            if self._mermaid_depth == 0:
                self._mermaid_tag = ""
                if self.clicks:
                    clicks = mermaid_click_urls("".join(self._mermaid_text))
                    self.page.links += [Link(url, click=True) for url in clicks]

    def handle_data(self, data):
        if self._mermaid_tag:
            self._mermaid_text.append(data)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset: comma-separated 'url [descriptor]' candidates."""
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def mermaid_click_urls(source: str) -> list[str]:
    """URLs of `click ID href "url"` and `click ID "url"` lines of a diagram.

    A bare word after the node id is a JavaScript callback, not a link."""
    urls = []
    for line in source.splitlines():
        words = line.strip().split(None, 2)
        if len(words) < 3 or words[0] != "click":
            continue
        rest = words[2]
        if rest.startswith("href"):
            rest = rest[len("href"):].lstrip()
        if rest.startswith('"') and '"' in rest[1:]:
            urls.append(rest[1:rest.index('"', 1)])
    return urls


def parse_html(text: str, clicks: bool = True) -> HtmlPage:
    """The URLs and ids of a page. A page with mermaid sources to read
    (clicks=True) goes through PageParser, which follows nesting; any other
    through scan_tags, the same reading done by regular expressions, several
    times faster (most of a check's time is reading HTML)."""
    if clicks and "mermaid" in text:
        parser = PageParser(clicks)
        parser.feed(text)
        parser.close()
        return parser.page
    return scan_tags(text)


# What a browser never reads as tags: comments, and the text of <script> and
# <style> (kept: their start tags, whose src or href count).
NOT_TAGS = re.compile(r"<!--.*?-->|(<(script|style)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>).*?</\2\s*>",
                      re.DOTALL | re.IGNORECASE)
# A start tag and its attributes, quoted values may hold `>`.
START_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")


# An inline drawing (no <svg> is nested in another on the pages this reads).
SVG = re.compile(r"<svg\b.*?</svg\s*>", re.DOTALL | re.IGNORECASE)


def scan_tags(text: str) -> HtmlPage:
    page = HtmlPage([], set())
    text = NOT_TAGS.sub(lambda m: m.group(1) or "", text)
    drawings = [m.span() for m in SVG.finditer(text)] if "<svg" in text else []
    for match in START_TAG.finditer(text):
        tag, rest = match.group(1).lower(), match.group(2)
        if tag not in URL_ATTRIBUTES and "id" not in rest.lower():
            continue  # most tags (code highlighting spans) carry no URL and no id
        attributes = {}
        for name, double, single, bare in ATTRIBUTE.findall(rest):
            attributes.setdefault(name.lower(), html.unescape(double or single or bare))
        if "id" in attributes:
            page.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            page.ids.add(attributes["name"])
        links = collect_links(tag, attributes)
        if tag == "a" and any(start < match.start() < end for start, end in drawings):
            page.drawn += [link.value for link in links]
        else:
            page.links += links
    return page


def collect_links(tag: str, attributes: dict[str, str]) -> list[Link]:
    """The URLs of one tag's attributes."""
    if tag == "link" and ORIGIN_ONLY_RELS & set(attributes.get("rel", "").lower().split()):
        return []
    marked = MARK in attributes
    links = []
    for name in URL_ATTRIBUTES.get(tag, ()):
        if name in attributes:
            values = srcset_urls(attributes[name]) if name == "srcset" else [attributes[name]]
            links += [Link(value, marked) for value in values]
    return links


def parse_file(path: Path, clicks: bool = True) -> HtmlPage:
    return parse_html(path.read_text(encoding="utf-8", errors="replace"), clicks)


DIAGRAM_MANIFEST = "diagrams.json"


def diagram_links(site_dir: Path) -> dict[str, list[str]] | None:
    """HTML file -> the click links of its diagrams, from the build's diagrams.json;
    None when the build wrote none."""
    path = site_dir / DIAGRAM_MANIFEST
    if not path.is_file():
        return None
    links: dict[str, list[str]] = {}
    for diagram in json.loads(path.read_text(encoding="utf-8"))["diagrams"]:
        url = diagram["page"]
        page_path = url + "index.html" if url == "" or url.endswith("/") else url
        links.setdefault(page_path, []).extend(diagram["links"])
    return links
