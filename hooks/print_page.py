"""The print edition: every page of the nav, in nav order, as one document.

On the web the document is a PDF, architecture-notes.pdf at the root of the
site, made after the build by scripts/build_pdf.py (`make pdf`). /print/ is a
light page that links to it and lists what it holds: the whole document as one
web page was 3.9 MB of HTML with 99 drawings (775 KB gzip) and scored 31 in
Lighthouse's phone test, and a PDF prints the same in every browser, with page
numbers and bookmarks. Links made for the earlier one-page edition still work:
/print/#component-raft lands on Raft's entry, and a small script sends
/print/#component-raft--terms on to Raft's own page, #terms.

The document itself is a generated page, /print/, in two other builds, where
`extra: edition` says which:

* "pdf" (mkdocs-pdf.yml, what build_pdf.py prints): a link to any other page
  of the site is absolute (site_url), since a PDF has no site around it;
* "offline" (mkdocs-offline.yml): read from disk, where size costs nothing,
  so the document is print.html itself, for the browser's Print command.

It is a real MkDocs page: it gets the theme, relative asset URLs and the
other hooks like any page, and link checkers see it. It is added as the last
entry of the navigation (after the nav of mkdocs.yml is read, so that nav
stays the list of written pages), and left out of the search index: every
text on it is indexed on its own page.

In the document, each page's rendered HTML is copied in as a
<section id="KEY">, where KEY is the page's source path ("component/raft.md"
-> "component-raft"):

* every id becomes "KEY--id", and so does every attribute that refers to an
  id (href="#...", for, name, aria-labelledby, ...): ids stay unique;
* headings move down one level, under the document's own h1;
* a link to a page that is in the document becomes a link to its section
  ("../raft/#terms" -> "#component-raft--terms"), mermaid `click` targets
  included; any other relative link or image is rebased onto /print/.

The wrapper carries data-diagrams="all": a diagram not drawn before the
build (only a build that is not strict has one) is then drawn by
assets/javascripts/diagram-live.mjs at once, with all the others, instead of
when it nears the viewport, so that printing, or saving as PDF, gets all of
them. The drawn ones are inline SVG here (hooks/diagrams.py).
"""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import urljoin, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from archnotes.diagram_data import FENCE
from archnotes.editions import OFFLINE, PDF_FILE, PRINT_URI, PRINT_URL, edition_of
from archnotes.editions import PDF as PDF_EDITION

DESCRIPTION = "Every page of Architecture Notes in one PDF, in the order of the navigation, with every diagram drawn."
# `search: exclude` is read by Material's search plugin. The PDF is made after the
# build, if at all (scripts/build_pdf.py, make pdf), so the page does not link to
# it: it leaves a place, <span class="pdf-edition" data-href="{pdf}">, that
# build_pdf.py fills with the link and the PDF's size and number of pages once
# the PDF is there. A build without the PDF thus has no link to a missing file.
WEB_SOURCE = """---
title: Print edition
description: {description}
search:
  exclude: true
---

# Print edition

Every page of Architecture Notes in one PDF, in the order of the navigation, with every diagram
drawn: <span class="pdf-edition" data-href="{pdf}">not made for this build (<code>make pdf</code> makes it)</span>. Its pages are
A4, numbered, with a bookmark for every page and heading; links between pages of the site are links within the PDF.

To print a single page, open it and use your browser's Print command: only the article is
printed, without the site's header, navigation and footer.

## Contents of the PDF
"""
# extra.edition of the builds where /print/ is the document itself -> its Markdown.
DOCUMENT_SOURCES = {
    PDF_EDITION.name: """---
title: {site_name}
search:
  exclude: true
---

# {site_name}

Every page of the site at <{site_url}>, in the order of its navigation, with every diagram drawn.
This edition was made on {today}.
""",
    OFFLINE.name: """---
title: Print edition
description: {description}
search:
  exclude: true
---

# Print edition

Every page of the site on one page, in the order of the navigation, with every diagram drawn.
Use your browser's Print command to print it or to save it as a PDF.
""",
}
STYLESHEET = "assets/stylesheets/print-edition.css"  # page breaks when printing
# On /print/ on the web: a link made for the one-page edition, #KEY--id, goes on
# to that page's own #id (KEY is the id of the page's entry in the contents;
# keys are plain ASCII, so the hash needs no decoding, which throws on a stray %).
FORMER_ANCHORS = """<script>
(function () {
  var m = /^#(.+?)--(.+)$/.exec(location.hash);
  var link = m && document.querySelector("li[id='" + CSS.escape(m[1]) + "'] > a");
  if (link) location.replace(link.href.split("#")[0] + "#" + m[2]);
})();
</script>"""

# A start tag with its attributes (quoted values may hold any character but their quote).
TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)(\s*/?)>""")
ATTRIBUTE = re.compile(r"""(\s)([^\s"'<>/=]+)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
HEADING = re.compile(r"<(/?)h([1-6])\b")
ID_ATTRIBUTES = {"id", "for", "name"}  # name: the radio groups of content tabs
ID_LIST_ATTRIBUTES = {"aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "headers"}
MERMAID_CLICK = re.compile(r'(\bclick\s+\S+\s+href\s+)(&quot;|")(.*?)(&quot;|")')

_nav = None


edition = edition_of


def on_config(config):
    if edition(config) == PDF_EDITION.name and not config.site_url:
        raise PluginError("the PDF edition needs site_url: its links to the site are absolute")
    # On every page, not only /print/: instant navigation swaps the content
    # of a page but keeps the <head> of the page it came from.
    if edition(config) in DOCUMENT_SOURCES and STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    return config


def on_files(files, config):
    # not_in_nav: MkDocs' check for pages missing from the nav must not see it;
    # on_nav adds it.
    page = File.generated(config, PRINT_URI, content=source(config), inclusion=InclusionLevel.NOT_IN_NAV)
    files.append(page)
    return files


def source(config) -> str:
    kind = edition(config)
    if kind in DOCUMENT_SOURCES:
        return DOCUMENT_SOURCES[kind].format(site_name=config.site_name, site_url=config.site_url,
                                             today=datetime.date.today().isoformat(), description=DESCRIPTION)
    # The page's URL is not known yet: PRINT_URL with directory URLs, else print.html.
    pdf = get_relative_url(PDF_FILE, PRINT_URL if config.use_directory_urls else PRINT_URI.replace(".md", ".html"))
    return WEB_SOURCE.format(description=DESCRIPTION, pdf=pdf)


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
    if edition(config) not in DOCUMENT_SOURCES:
        page.content += contents_html(pages, keys, page.url) + FORMER_ANCHORS
        return env
    site_url = config.site_url if edition(config) == PDF_EDITION.name else None
    sections = "\n".join(section_html(p, keys, page.url, site_url) for p in pages)
    page.content += f'<div class="print-edition" data-diagrams="all">\n{sections}\n</div>\n'
    # Material shows the children of the page's h1 as its table of contents.
    entries = [toc_entry(p, keys[p.url]) for p in pages]
    if page.toc.items:
        page.toc.items[0].children = entries
    else:
        page.toc = TableOfContents(entries)
    return env


def contents_html(pages, keys: dict[str, str], print_url: str) -> str:
    """The PDF's pages, in its order, each a link to the page on the site."""
    items = "\n".join(
        f'<li id="{keys[p.url]}">'
        f'<a href="{html.escape(get_relative_url(p.url or "./", print_url))}">{html.escape(p.title)}</a></li>'
        for p in pages
    )
    return f'<ol class="print-contents">\n{items}\n</ol>\n'


# --- one page -> one section of the document ---------------------------------------

def page_key(page) -> str:
    """component/raft.md -> component-raft; index.md -> index."""
    return page.file.src_uri.removesuffix(".md").replace("/", "-")


def section_html(page, keys: dict[str, str], print_url: str, site_url: str | None) -> str:
    """site_url: make links to pages outside the document absolute (the PDF edition)."""
    key = keys[page.url]
    body = TAG.sub(lambda m: rewrite_tag(m, page.url, key, keys, print_url, site_url), page.content)
    body = HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}", body)
    body = FENCE.sub(lambda m: m[0][: m.start(1) - m.start()] + rewrite_clicks(m[1], page.url, keys, print_url, site_url)
                     + m[0][m.end(1) - m.start():], body)
    return f'<section class="print-page" id="{key}" data-src="{html.escape(page.file.src_uri)}">\n{body}\n</section>'


def rewrite_tag(match, page_url: str, key: str, keys: dict[str, str], print_url: str, site_url: str | None) -> str:
    def attribute(m):
        space, name, equals, raw = m[1], m[2], m[3], m[4]
        quoted = raw[0] in "\"'"
        value = html.unescape(raw[1:-1] if quoted else raw)
        lowered = name.lower()
        if lowered in ID_ATTRIBUTES and value:
            value = f"{key}--{value}"
        elif lowered in ID_LIST_ATTRIBUTES:
            value = " ".join(f"{key}--{v}" for v in value.split())
        elif lowered == "href":
            value = rebase(value, page_url, keys, print_url, key, site_url)
        elif lowered == "src":  # images load from the build, whatever the edition
            value = rebase(value, page_url, keys, print_url, key)
        else:
            return m[0]
        return f'{space}{name}{equals}"{html.escape(value, quote=True)}"'

    return f"<{match[1]}{ATTRIBUTE.sub(attribute, match[2])}{match[3]}>"


def rebase(url: str, page_url: str, keys: dict[str, str], print_url: str, key: str | None = None,
           site_url: str | None = None) -> str:
    """A URL written on the page at page_url, as it must read on the print page;
    with site_url, one to outside the document is made absolute."""
    if not url or urlsplit(url).scheme or url.startswith("/"):
        return url  # another site, mailto:, data:, or absolute: the same from anywhere
    if url.startswith("#"):
        return f"#{key}--{url[1:]}" if key and len(url) > 1 else url
    target = urlsplit(urljoin("http://site/" + page_url, url))
    path = target.path[1:]
    if path in keys:  # a page that is on the print page: go to its section
        return f"#{keys[path]}--{target.fragment}" if target.fragment else f"#{keys[path]}"
    rebased = urljoin(site_url, path) if site_url else get_relative_url(path, print_url)
    return rebased + (f"?{target.query}" if target.query else "") + (f"#{target.fragment}" if target.fragment else "")


def rewrite_clicks(source: str, page_url: str, keys: dict[str, str], print_url: str, site_url: str | None) -> str:
    """mermaid `click X href "url"` lines are links, written relative to their page."""
    def click(m):
        url = rebase(html.unescape(m[3]), page_url, keys, print_url, site_url=site_url)
        return m[1] + m[2] + html.escape(url, quote=False) + m[4]

    return MERMAID_CLICK.sub(click, source)


def toc_entry(page, key: str) -> AnchorLink:
    """The page, and its h2 headings (h3 on the print page)."""
    entry = AnchorLink(html.escape(page.title), key, 2)
    tops = [c for top in page.toc.items for c in (top.children if top.level == 1 else [top])]
    for heading in tops:
        entry.children.append(AnchorLink(heading.title, f"{key}--{heading.id}", heading.level + 1))
    return entry
