"""What the build produces: meta descriptions, edit links, generated indexes (the maps: test_maps.py)."""

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pages import DOCS, ROOT, TEMPLATE_OF_SECTION, topic_pages

from archnotes.diagram_data import read_drawing, read_manifest

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # BaseLoader: ignore !ENV tags


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content")
        if tag == "a":
            self.links.append(a)


def parsed(built_site, url):
    head = Head()
    head.feed((built_site / url / "index.html").read_text(encoding="utf-8"))
    return head


def front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_each_page_has_its_description_as_meta_description(built_site):
    pages = [DOCS / "index.md"] + [DOCS / s / "index.md" for s in TEMPLATE_OF_SECTION] + topic_pages()
    for page in pages:
        url = page.relative_to(DOCS).with_suffix("").as_posix().removesuffix("index")
        assert parsed(built_site, url).meta.get("description") == front(page)["description"], page


def edit_links(site: Path, url: str) -> list[str]:
    """The page's edit links: Material's button above the article, and the one in its foot
    (overrides/partials/source-file.html)."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    button = [a["href"] for a in parsed(site, url).links if "md-content__button" in (a.get("class") or "")]
    return button + re.findall(r'<a href="([^"]*)">Edit this page</a>', html)


def test_without_repo_url_no_page_has_an_edit_link(built_site, monkeypatch):
    """REPO_URL unset (the tests' build): the site names no repository, so no
    "Edit this page" link points nowhere (hooks/edit_link.py)."""
    assert "REPO_URL" not in os.environ, "the tests build the site as a clone does, without REPO_URL"
    pages = [p.parent.relative_to(built_site).as_posix() for p in built_site.rglob("index.html")]
    assert len(pages) > 20
    assert [p for p in pages if edit_links(built_site, "" if p == "." else p)] == []


def test_with_repo_url_each_page_links_to_its_source_in_that_repository(tmp_path):
    repo = "https://git.example.org/team/notes"
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "--site-dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "REPO_URL": repo, "NO_MKDOCS_2_WARNING": "1",
                               "DISABLE_MKDOCS_2_WARNING": "true"})
    assert done.returncode == 0, done.stderr
    assert edit_links(tmp_path, "component/circuit-breaker") == [f"{repo}/{CONFIG['edit_uri']}component/circuit-breaker.md"] * 2
    assert edit_links(tmp_path, "") == [f"{repo}/{CONFIG['edit_uri']}index.md"] * 2


def test_section_indexes_list_exactly_their_pages(built_site):
    for section in TEMPLATE_OF_SECTION:
        html = (built_site / section / "index.html").read_text(encoding="utf-8")
        table = html.split('<table class="article-table">', 1)[1].split("</table>", 1)[0]
        listed = re.findall(r'href="([\w-]+)/"', table)
        expected = sorted(p.stem for p in (DOCS / section).glob("*.md") if p.name != "index.md")
        assert sorted(listed) == expected, section
        text = re.sub(r"<[^>]+>", "", table)  # glossary terms in a description become <abbr>
        for slug in expected:
            assert front(DOCS / section / f"{slug}.md")["description"] in text


def test_no_template_is_published(built_site):
    assert not (built_site / "_templates").exists()


def test_nav_follows_the_seed_order():
    sections = [next(iter(item)) for item in CONFIG["nav"]]
    assert sections[:5] == ["Home", "Organization", "Connection", "Component", "Software"]


class Loads(HTMLParser):
    """URLs a browser fetches by itself: script src, stylesheet/icon/preload href, img src."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("rel") not in ("canonical", "prev", "next") and a.get("href"):
            self.urls.append(a["href"])


def test_no_page_loads_from_another_host(built_site):
    """Static check beside the browser test: nothing a page loads names another host."""
    for html in built_site.rglob("*.html"):
        loads = Loads()
        loads.feed(html.read_text(encoding="utf-8"))
        remote = [u for u in loads.urls if re.match(r"(https?:)?//", u)]
        assert not remote, f"{html.relative_to(built_site)} loads {remote}"


IMAGE = re.compile(r'<img class="diagram__(light|dark)" src="([^"]+)" alt="([^"]+)" loading="lazy" decoding="async">')


def test_every_diagram_arrives_drawn_for_both_palettes(built_site):
    """hooks/diagrams.py: light and dark drawings, the source kept, and the buttons; none left to draw.
    A drawing is a lazy image of a published file equal to the committed one,
    with alt text; a diagram with links, and the print page's (paper: light
    only), are inline SVG."""
    drawn = images = 0
    manifest = read_manifest(built_site)
    assert manifest and all(d.drawn for d in manifest), [d.where for d in manifest if not d.drawn]
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert '<div class="mermaid"' not in html, page
        light_only = page.parent.name == "print"
        for key, body in re.findall(r'<div class="diagram" data-diagram="(\w+)"[^>]*>(.*?)</template></div>', html, re.S):
            drawn += 1
            assert '<template class="diagram__source">' in body, (page, key)
            committed = dict(zip(("light", "dark"), read_drawing(ROOT / "diagrams", key)))
            if light_only or "<a " in committed["light"]:
                assert f'<svg id="dia-{key}"' in body and "diagram__light" in body, (page, key)
                assert (f'<svg id="dia-{key}-dark"' in body) != light_only, (page, key)
                continue
            found = IMAGE.findall(body)
            assert [scheme for scheme, *_ in found] == ["light", "dark"], (page, key)
            for scheme, src, alt in found:
                images += 1
                assert (page.parent / src).resolve().read_text(encoding="utf-8") == committed[scheme].strip(), (page, src)
                assert len(alt) > 20, (page, key, alt)
    # three diagrams or more per topic page, nearly all without links: two images each
    assert drawn == len(manifest) >= 3 * len(topic_pages()) and images >= 2 * 2 * len(topic_pages())


class CodeText(HTMLParser):
    """The text of every <code> block of a page, as a reader would copy it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.blocks = 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "code":
            self.depth += 1
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.blocks[-1] += data


def test_code_listings_lose_only_the_spans_that_colour_nothing(built_site):
    """hooks/lean_pages.py: no span for plain names, whitespace, punctuation or
    operators in code, and the listing's text is the example file's, line for line."""
    for page in built_site.rglob("*.html"):
        code = " ".join(re.findall(r"<code\b.*?</code>", page.read_text(encoding="utf-8"), re.S))
        assert not re.search(r'<span class="[nwpo]">', code), page
    example = (ROOT / "docs/examples/periodic-scheduler/cron_scheduler.py").read_text(encoding="utf-8")
    parse_section = example.split("# --8<-- [start:parse]\n")[1].split("# --8<-- [end:parse]")[0]
    html = (built_site / "component/periodic-scheduler/index.html").read_text(encoding="utf-8")
    code = CodeText()
    code.feed(html)
    assert any(block.strip() == parse_section.strip() for block in code.blocks)
    assert '<span class="k">def</span>' in html and '<span class="nf">' in html, "highlighting itself is kept"


def test_article_tables_arrive_wrapped_as_material_would_wrap_them(built_site):
    """hooks/lean_pages.py: no table is left for Material's bundle to move at startup."""
    for page in ("component/circuit-breaker/index.html", "software/sqlalchemy/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        wrapped = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table class="article-table">'
        assert html.count("<table") == html.count(wrapped) >= 1, page
        assert html.count("</table>") == html.count("</table></div></div>"), page


def _rules(css: str, selector: str) -> list[tuple[str, str]]:
    """Every rule of a stylesheet whose selector mentions `selector`, as
    (selectors, declarations) with whitespace removed, @media print kept apart."""
    css = re.sub(r"/\*.*?\*/|\s+", "", css, flags=re.S)
    return [
        (media + sel, body.rstrip(";"))
        for media, sel, body in re.findall(r"(@mediaprint\{)?([^{}]*?)\{([^{}]*)\}", css)
        if selector in sel
    ]


def test_article_tables_have_materials_own_table_rules(built_site):
    """site.css copies Material's rules for table:not([class]) to .article-table;
    after a Material upgrade this names any rule that changed."""
    material = next((built_site / "assets/stylesheets").glob("main.*.min.css")).read_text(encoding="utf-8")
    site = (built_site / "assets/stylesheets/site.css").read_text(encoding="utf-8")
    expected = [(sel.replace("table:not([class])", "table.article-table"), body)
                for sel, body in _rules(material, "table:not([class])")]
    assert len(expected) >= 10
    assert _rules(site, "table.article-table") == expected


def test_each_glossary_term_is_defined_at_its_first_use_on_a_page(built_site):
    """hooks/lean_pages.py: one <abbr> (hover definition) per term and page.
    The print edition joins the pages, each with its own first uses."""
    for page in built_site.rglob("*.html"):
        if page.parent.name == "print":
            continue
        terms = re.findall(r'<abbr title="[^"]*">([^<]*)</abbr>', page.read_text(encoding="utf-8"))
        assert len(terms) == len(set(terms)), (page, sorted(t for t in set(terms) if terms.count(t) > 1))
    html = (built_site / "component/data-serialization/index.html").read_text(encoding="utf-8")
    first = html.index('">JSON</abbr>')
    assert "JSON" in re.sub(r"<[^>]+>", "", html[first + 20:]), "later uses stay, as plain text"


def test_permalinks_are_named_for_screen_readers(built_site):
    """hooks/lean_pages.py: each heading's ¶ link is labelled "Permanent link", without a title."""
    html = (built_site / "component/raft/index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="headerlink"[^>]*>', html)
    assert len(links) > 10
    assert all('aria-label="Permanent link"' in link and "title=" not in link for link in links), links[:3]
