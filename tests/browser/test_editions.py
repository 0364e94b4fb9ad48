"""The print edition (/print/ and the PDF, hooks/print_page.py, scripts/build_pdf.py)
and the offline edition (mkdocs-offline.yml, hooks/offline_edition.py), built with the real configs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import DIAGRAM_COUNTS, PRINT, ROOT, block_other_hosts, draw_all_diagrams, serving

from archnotes.diagram_data import read_manifest
from archnotes.nav import nav_uris

TOPIC = "component/circuit-breaker"
SEARCHED = "component/sharding"
ALL_DRAWN = f"(() => {{ const r = ({DIAGRAM_COUNTS})(); return r.errors > 0 || (r.total > 0 && r.drawn === r.total); }})()"
# The iframe-worker shim (npm iframe-worker 1.0.4, shim/index.js, MIT), vendored unchanged.
WORKER_SHIM = ROOT / "docs" / "assets" / "javascripts" / "iframe-worker" / "shim.js"
WORKER_SHIM_SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"


def nav_pages() -> list[str]:
    """Source paths of the pages in mkdocs.yml's nav, in nav order."""
    from mkdocs.config import load_config

    return nav_uris(load_config(str(ROOT / "mkdocs.yml"))["nav"])


def written_topics() -> list[str]:
    """Every topic page in docs/<section>/<slug>.md (section indexes are not topics)."""
    docs = ROOT / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.glob("*/*.md")
                  if p.name != "index.md" and (p.parent / "index.md").is_file())


class PrintPage(HTMLParser):
    """Sections (data-src), the first heading of each, ids, links and sources."""

    def __init__(self):
        super().__init__()
        self.sections: list[str] = []
        self.titles: dict[str, str] = {}
        self.ids: list[str] = []
        self.urls: list[str] = []
        self._heading: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "section" and "print-page" in (a.get("class") or ""):
            self.sections.append(a["data-src"])
        for name in ("href", "src"):
            if a.get(name) and tag not in ("link", "script"):
                self.urls.append(a[name])
        if tag == "h2" and self.sections and self.sections[-1] not in self.titles and self._heading is None:
            self._heading, self._text = self.sections[-1], ""

    def handle_data(self, data):
        if self._heading:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "h2" and self._heading:
            self.titles[self._heading] = " ".join(self._text.split()).removesuffix("\u00b6").strip()  # headerlink
            self._heading = None


@pytest.fixture(scope="module")
def document(pdf_edition) -> PrintPage:
    """The PDF edition's document: every page of the nav in one (hooks/print_page.py)."""
    parser = PrintPage()
    parser.feed((pdf_edition / PRINT / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def pdf(pdf_edition, browser, tmp_path_factory) -> Path:
    """The document printed by scripts/build_pdf.py, as `make pdf` prints it."""
    import build_pdf

    path = tmp_path_factory.mktemp("pdf") / build_pdf.PDF
    build_pdf.print_document(browser, pdf_edition, path)
    return path


def test_document_holds_every_page_of_the_nav_in_nav_order(root_site, document):
    assert document.sections == nav_pages()
    assert set(written_topics()) <= set(document.sections), "a written topic is missing from the document"
    # Each topic's title heads its section, in the order of topics.json (nav order).
    topics = json.loads((root_site.dir / "topics.json").read_text(encoding="utf-8"))["topics"]
    shown = [document.titles.get(f"{t['section']}/{t['slug']}.md") for t in topics]
    assert shown == [t["title"] for t in topics]
    assert len(topics) == len(written_topics())


def test_document_ids_are_unique_and_its_links_resolve(root_site, pdf_edition, document):
    """A link to a page in the document goes to its section; one to any other
    page of the site is absolute (site_url), as a PDF needs; images load from the build."""
    ids = set(document.ids)
    assert len(ids) == len(document.ids), sorted({i for i in document.ids if document.ids.count(i) > 1})[:10]
    clicks = [url for d in read_manifest(pdf_edition) if d.page == PRINT for url in d.links]
    assert clicks, "the home page's topic map came along"
    assert all(u.startswith("#") for u in clicks), clicks  # its boxes link to sections of the document
    broken, absolute = [], 0
    for url in document.urls + clicks:
        if url.startswith("#"):
            if unquote(url[1:]) not in ids and url != "#":
                broken.append(url)
        elif url.startswith(root_site.base):
            absolute += 1
            path = root_site.dir / unquote(urlsplit(url).path.lstrip("/"))
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append(url)
        elif not urlsplit(url).scheme and not url.startswith("/"):
            path = (pdf_edition / PRINT / unquote(urlsplit(url).path)).resolve()
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append(url)
    assert not broken, broken[:20]
    assert absolute >= 1, "the cover names the site"


def test_print_page_links_to_the_pdf_and_lists_what_it_holds(root_site):
    """On the web, /print/ is light: the place for the link to the PDF (build_pdf.py
    writes it once the PDF exists), and its contents in order, each entry with the id
    the one-page edition gave that page's section."""
    html = (root_site.dir / PRINT / "index.html").read_text(encoding="utf-8")
    assert ('<span class="pdf-edition" data-href="../architecture-notes.pdf">not made for this build '
            '(<code>make pdf</code> makes it)</span>') in html
    assert "architecture-notes.pdf</a>" not in html
    entries = re.findall(r'<li id="([^"]+)"><a href="([^"]+)">', html)
    assert [key for key, _ in entries] == [src.removesuffix(".md").replace("/", "-") for src in nav_pages()]
    for _, href in entries:
        assert (root_site.dir / PRINT / href / "index.html").resolve().is_file(), href
    assert ' data-diagram="' not in html and 'class="print-edition"' not in html
    assert "print-edition.css" not in (root_site.dir / "index.html").read_text(encoding="utf-8")


def test_print_page_sends_links_into_the_one_page_edition_on(root_site, browser):
    """/print/#component-raft--KEY (an address of the one-page edition) -> the page, #KEY."""
    raft = (root_site.dir / "component" / "raft" / "index.html").read_text(encoding="utf-8")
    heading = re.search(r'<h2 id="([^"]+)"', raft)[1]
    context = browser.new_context()
    blocked = block_other_hosts(context, root_site.base)
    page = context.new_page()
    try:
        page.goto(f"{root_site.base}{PRINT}#component-raft--{heading}", wait_until="load")
        page.wait_for_url(f"{root_site.base}component/raft/#{heading}")
        page.goto(f"{root_site.base}{PRINT}#component-raft", wait_until="load")
        assert page.url == f"{root_site.base}{PRINT}#component-raft"
        assert page.evaluate("document.querySelector(':target').textContent") == "Raft"
    finally:
        context.close()
    assert not blocked


def test_print_page_is_not_in_the_search_index(root_site):
    index = json.loads((root_site.dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith(PRINT)]


def test_web_build_is_untouched_by_the_offline_hook(root_site):
    home = (root_site.dir / "index.html").read_text(encoding="utf-8")
    assert 'src="assets/javascripts/diagrams.mjs" type="module"' in home
    assert "navigation.instant" in home and "iframe-worker" not in home
    assert not (root_site.dir / "search" / "search_index.js").exists()
    assert (root_site.dir / TOPIC / "index.html").is_file()


def test_document_arrives_with_every_diagram_drawn(root_site, pdf_edition, browser):
    """Served, as build_pdf.py opens it: every diagram an inline SVG, nothing to wait for."""
    expected = len(read_manifest(root_site.dir))  # the web edition's pages, each once
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        with serving(pdf_edition, 0) as base:
            blocked = block_other_hosts(context, base)
            page.goto(base + PRINT, wait_until="load")
            counts = page.evaluate(DIAGRAM_COUNTS)
            # The topic map's boxes link to sections of this page.
            anchor = TOPIC.replace("/", "-")
            map_links = page.locator(f"div.diagram svg a[*|href='#{anchor}']:visible").count()
    finally:
        context.close()
    assert counts["errors"] == 0 and counts["drawn"] == counts["total"] == expected, (counts, expected)
    assert map_links >= 1
    assert not errors and not blocked, (errors, blocked)


def outline_titles(reader, items=None) -> list:
    """The PDF's bookmarks as nested lists of titles."""
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out.append(outline_titles(reader, item))
        else:
            out.append(item.title)
    return out


def test_pdf_has_every_page_as_a_bookmark_and_links_that_work_on_paper(root_site, document, pdf):
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert reader.metadata.title == "Architecture Notes"
    outline = outline_titles(reader)
    assert outline[0] == "Architecture Notes"
    pages = [t for t in outline[1] if not isinstance(t, list)]
    assert pages == [document.titles[src] for src in nav_pages()]
    uris, internal = [], 0
    for sheet in reader.pages:
        for annotation in sheet.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
            elif annotation.get_object().get("/Dest") is not None or action.get("/S") == "/GoTo":
                internal += 1
    assert internal >= 100, "links between the site's pages are links within the PDF"
    relative = [u for u in uris if not re.match(r"(https?|mailto):", u)]
    assert uris and not relative, relative[:5]
    own = [u for u in uris if u.startswith(root_site.base)]
    assert own == [root_site.base], own  # only the cover links to the site; every page is inside
    text = "".join(reader.pages[i].extract_text() for i in range(1, 6))
    assert "Airbnb" in text
    assert len(reader.pages) >= 100


# --- the offline edition ---------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def offline_build(root_site, tmp_path_factory):
    """`mkdocs build --strict -f mkdocs-offline.yml` in another process, started
    once the web build (root_site) is done, so that it runs while the browser
    builds and prints the PDF edition (two cores: ~15 s saved); the offline tests wait for it."""
    site_dir = tmp_path_factory.mktemp("offline")
    log = site_dir.parent / f"{site_dir.name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs-offline.yml", "--site-dir", str(site_dir)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"})
    yield process, site_dir, log
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def offline_site(offline_build) -> Path:
    process, site_dir, log = offline_build
    try:
        process.wait(timeout=180)
    except subprocess.TimeoutExpired:
        pytest.fail("the offline build took over 180 s")
    if process.returncode != 0:
        pytest.fail("the offline build failed:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-30:]))
    return site_dir


class Loads(HTMLParser):
    """What a browser fetches by itself: script/img/iframe src, stylesheet and icon hrefs."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.modules = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("type") == "module":
            self.modules += 1
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("rel") not in ("canonical", "prev", "next") and a.get("href"):
            self.urls.append(a["href"])


def test_offline_edition_loads_no_module_and_nothing_from_another_host(offline_site):
    problems = []
    for page in sorted(offline_site.rglob("*.html")):
        loads = Loads()
        loads.feed(page.read_text(encoding="utf-8"))
        name = page.relative_to(offline_site).as_posix()
        problems += [f"{name}: a module script, which file:// cannot load"] * bool(loads.modules)
        problems += [f"{name}: loads {u}" for u in loads.urls if re.match(r"(https?:)?//", u)]
    assert not problems, problems[:20]
    assert (offline_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index =")
    assert (offline_site / f"{TOPIC}.html").is_file()  # links name files, not folders
    # From disk, size costs nothing: print.html is the document itself, for the browser's Print command.
    assert 'data-diagrams="all"' in (offline_site / "print.html").read_text(encoding="utf-8")
    assert hashlib.sha256(WORKER_SHIM.read_bytes()).hexdigest() == WORKER_SHIM_SHA256


def test_offline_edition_works_from_disk(offline_site, browser):
    """From file://: diagrams, a click on a nav link, search; nothing but files is requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests, blocked, errors = [], [], []

    def route(r):
        if r.request.url.startswith(("http:", "https:")):
            blocked.append(r.request.url)
            return r.abort()
        return r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((offline_site / "index.html").as_uri(), wait_until="load")
        counts = draw_all_diagrams(page, at_least=1)
        assert counts["drawn"] == counts["total"] >= 1 and not counts["errors"], counts

        # "Open larger": its script and stylesheet load from disk when first wanted.
        page.get_by_role("button", name="Open larger view of diagram 1").click()
        page.locator("dialog.diagram-viewer[open] .diagram-viewer__stage").wait_for()
        assert page.locator(".diagram-viewer__stage").evaluate("s => getComputedStyle(s).touchAction") == "none"
        page.keyboard.press("Escape")
        page.locator("dialog.diagram-viewer").wait_for(state="detached")

        # A click on a nav link: a full page load (no instant navigation on file://).
        page.evaluate("window.__marker = 42")
        page.locator(f"nav.md-nav a[href$='{TOPIC}.html']").first.click()
        page.wait_for_url(f"**/{TOPIC}.html")
        assert page.evaluate("window.__marker") is None
        counts = draw_all_diagrams(page, at_least=1)
        assert counts["drawn"] == counts["total"] >= 1 and not counts["errors"], counts

        # Search, from the index in search/search_index.js, in an iframe "worker".
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("sharding")
        result = page.locator(f".md-search-result__item a[href*='{SEARCHED}.html']").first
        result.wait_for(timeout=15_000)
        result.click()
        page.wait_for_url(f"**/{SEARCHED}.html*")
        counts = draw_all_diagrams(page, at_least=1)
        assert counts["drawn"] == counts["total"] >= 1 and not counts["errors"], counts
    finally:
        context.close()
    assert not errors, errors
    assert not blocked, blocked
    assert all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), \
        [u for u in requests if not u.startswith("file:")]


def test_offline_edition_diagram_links_open_pages_from_disk(offline_site, browser):
    """From file://: a box of the home map and of a symptom tree each opens its
    page's file (written as docs paths, resolved for the edition by hooks/diagram_links.py)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    steps = [("index.html", f"{TOPIC}.html", f"{TOPIC}.html"),
             ("symptoms.html", "component/circuit-breaker.html#solution", "component/circuit-breaker.html#solution")]
    try:
        for start, href, lands in steps:
            page.goto((offline_site / start).as_uri(), wait_until="load")
            draw_all_diagrams(page, at_least=1)
            link = page.locator(f"div.diagram svg a[*|href='{href}']:visible").first
            link.scroll_into_view_if_needed()
            link.click()
            page.wait_for_url((offline_site / lands.split("#")[0]).as_uri() + ("#" + lands.split("#")[1] if "#" in lands else ""))
            assert page.locator("h1").first.is_visible()
    finally:
        context.close()
    assert not errors, errors


# --- the examples' Run buttons in each edition (hooks/examples_runner.py) -----------------


def test_offline_edition_says_where_examples_run_instead_of_offering_a_button(offline_site):
    """Chromium starts no Web Worker from file://, and Python must run in one."""
    page = (offline_site / "component" / "raft.html").read_text(encoding="utf-8")
    assert "data-example-action" not in page
    assert page.count('class="example-run__note"') == 1
    assert "open the web edition" in page
    assert not (offline_site / "assets" / "pyodide").exists()


def test_pdf_edition_shows_code_and_output_only(pdf_edition):
    document = (pdf_edition / "print" / "index.html").read_text(encoding="utf-8")
    assert "example-run" not in document
    assert not (pdf_edition / "assets" / "pyodide").exists()
