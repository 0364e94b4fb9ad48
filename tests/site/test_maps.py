"""The generated maps (hooks/topics.py: the home page's map, each topic page's
neighbours) and the symptom trees (docs/symptoms.md), read from real builds:
what each links to, that every link inside a drawing opens a page of the web
and the offline edition, and that each drawing fits a phone's column.

Topics are counted from the nav, as the hook counts them."""

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pages import DOCS, ROOT, nav_topic_pages, outside_fences

# hooks/diagrams.py: a drawn diagram, its drawing (inline SVG when it has links) and its source.
DIAGRAM = re.compile(r'<div class="diagram" data-diagram="(\w+)"[^>]*>(.*?)'
                     r'<template class="diagram__source">(.*?)</template></div>', re.S)
DRAWN_LINK = re.compile(r'<a [^>]*?xlink:href="([^"]*)"')
CLICK = re.compile(r'^\s*click (\S+) href "([^"]*)"', re.M)
VIEWBOX = re.compile(r'^<svg\b[^>]*?viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
# A drawing may be shown down to 10/16 of its natural width on a phone (labels
# >= 10 px); the column of a 390 px phone is 343 px wide, so one up to 548 px
# wide shows whole there.
PHONE_WIDTH = 548


def diagrams(page_html: str) -> list[tuple[str, str, str]]:
    """(key, drawing, mermaid source) of each drawn diagram, in page order."""
    return [(key, drawing, html.unescape(source)) for key, drawing, source in DIAGRAM.findall(page_html)]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def url_of(page: Path) -> str:
    """docs/component/raft.md -> component/raft/ (the web edition's address)."""
    return f"{page.parent.name}/{page.stem}/"


def natural_size(key: str) -> tuple[float, float]:
    """The drawing's own width and height (its light SVG's viewBox), as committed in diagrams/."""
    width, height = VIEWBOX.match(read(ROOT / "diagrams" / f"{key}.svg")).groups()
    return float(width), float(height)


def broken(site: Path, page: Path, href: str, directory_urls: bool) -> str | None:
    """Why a link written on the built page `page` opens no page of `site`, or None.
    With directory_urls (the web edition) a folder serves its index.html; from
    disk (the offline edition) a link must name the file itself."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return "not a relative link"
    target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    if directory_urls and target.is_dir():
        target = target / "index.html"
    if site.resolve() not in target.parents or not target.is_file():
        return "opens no page"
    if parts.fragment and f'id="{parts.fragment}"' not in read(target):
        return f"no id {parts.fragment!r} on {target.relative_to(site.resolve())}"
    return None


def links_in_drawings(site: Path, directory_urls: bool) -> tuple[int, list[str]]:
    """Every link inside every drawing of every page: how many, and the broken ones."""
    count, problems = 0, []
    for page in sorted(site.rglob("*.html")):
        for key, drawing, _ in diagrams(read(page)):
            for href in sorted(set(DRAWN_LINK.findall(drawing))):
                count += 1
                if why := broken(site, page, href, directory_urls):
                    problems.append(f"{page.relative_to(site)}: diagram {key}: {href}: {why}")
    return count, problems


# --- the home page's map ---------------------------------------------------------

def test_home_map_holds_each_topic_of_the_nav_once_in_its_section(built_site):
    """One diagram on the home page (the relation graph is gone): the map. Each
    topic is a box in its section's group, linked in its source and in both
    palettes' drawings."""
    [(_, drawing, source)] = diagrams(read(built_site / "index.html"))
    topics = nav_topic_pages()
    assert [href for _, href in CLICK.findall(source)] == [url_of(p) for p in topics]
    assert sorted(DRAWN_LINK.findall(drawing)) == sorted(url_of(p) for p in topics for _ in ("light", "dark"))
    groups = dict(re.findall(r'^\s*subgraph (\w+)\[.*?\n(.*?)^\s*end$', source, re.M | re.S))
    for page in topics:
        node = "t_" + page.stem.replace("-", "_")
        assert re.search(rf"^\s*{node}\[", groups[page.parent.name], re.M), f"{page}: not in its section's group"


# --- each topic page's neighbours ---------------------------------------------------

def test_each_topic_page_has_a_neighbours_map_of_exactly_its_related_topics(built_site, topics_hook):
    """Under its Related topics heading, before the list that links each one: the
    page and the topics its front matter names, in that order. No links in the
    map itself (the list right under it has them), so it is a lazy image, not
    inline SVG in both palettes on every topic page's first load."""
    for page in nav_topic_pages():
        built = built_site / url_of(page) / "index.html"
        after_heading = read(built).split('<h2 id="related-topics"', 1)[1]
        assert after_heading.index('<div class="diagram"') < after_heading.index("<ul>"), page
        key, drawing, source = diagrams(after_heading)[0]
        meta = topics_hook.read_meta(page, page.name)
        titles = {p.stem: topics_hook.read_meta(p, p.name)["title"] for p in nav_topic_pages()}
        boxes = re.findall(r'^\s*t_\w+\["([^"]+)"\]', source, re.M)
        labels = [topics_hook.box_label(titles[slug]) for slug in meta["related"]]
        centre = f"<b>{topics_hook.box_label(meta['title'])}</b>"
        assert [b for b in boxes if b != centre] == labels and centre in boxes, page
        assert "click" not in source and "<img" in drawing, f"{page}: the map is an image, without links"
        listed = re.findall(r'<a href="([^"]+)"', after_heading.split("<ul>", 1)[1].split("</ul>", 1)[0])
        assert len(listed) >= len(meta["related"]), f"{page}: the list under the map links each related topic"


# --- the symptom trees ------------------------------------------------------------------

def symptom_trees() -> dict[str, list[str]]:
    """docs/symptoms.md above its list: each symptom (an H3) and the pages its
    tree's boxes open, written as the list writes them (component/raft.md#solution):
    hooks/diagram_links.py resolves them for each edition."""
    text = read(DOCS / "symptoms.md").split("## The same paths as a list", 1)[0]
    trees = {}
    for symptom, body in re.findall(r"^### (.+?) \{ #[\w-]+ \}\n(.*?)(?=^##|\Z)", text, re.M | re.S):
        trees[symptom] = [href for _, href in CLICK.findall(body)]
    return trees


def symptom_list() -> dict[str, list[str]]:
    """The list of the same paths: each symptom (a bold item) and the pages it leads to."""
    text = read(DOCS / "symptoms.md").split("## The same paths as a list", 1)[1]
    paths: dict[str, list[str]] = {}
    symptom = None
    for line in outside_fences(text):
        if match := re.match(r"^- \*\*(.+)\*\*$", line):
            symptom = paths.setdefault(match[1], [])
        elif symptom is not None:
            symptom += re.findall(r"\]\(([^)]+)\)", line)
    return paths


def test_symptom_trees_and_the_list_give_the_same_paths():
    """One small tree per symptom, each leading where the list says, in the same order."""
    trees, listed = symptom_trees(), symptom_list()
    assert len(trees) >= 20 and all(len(pages) >= 2 for pages in trees.values()), trees
    assert trees == listed


def test_a_stale_read_leads_to_replication_first():
    """The usual cause of reading old data right after a write is replica lag;
    Raft's linearizable reads stay for the reads a consensus store serves."""
    tree = symptom_trees()["A read right after a write returns old data"]
    assert tree[0] == "component/in-memory-database.md#replication"
    assert "component/raft.md#linearizable-reads" in tree


def test_symptom_trees_open_the_sections_they_name(built_site):
    built = built_site / "symptoms" / "index.html"
    drawn = diagrams(read(built))
    assert len(drawn) == len(symptom_trees())
    for key, drawing, source in drawn:
        hrefs = [href for _, href in CLICK.findall(source)]
        assert sorted(DRAWN_LINK.findall(drawing)) == sorted(hrefs * 2), key
        assert [h for h in hrefs if broken(built_site, built, h, directory_urls=True)] == [], key


# --- every link in every drawing, in both editions -------------------------------------------

def test_links_in_drawings_open_pages_on_the_web(built_site):
    count, problems = links_in_drawings(built_site, directory_urls=True)
    assert not problems, problems[:20]
    assert count >= len(nav_topic_pages()) * 2, "the home map and the symptom trees"


def test_links_in_drawings_open_pages_from_disk_in_the_offline_edition(offline_site):
    """hooks/diagram_links.py resolves them to name files there (component/raft.html#solution)."""
    count, problems = links_in_drawings(offline_site, directory_urls=False)
    assert not problems, problems[:20]
    assert count >= len(nav_topic_pages()) * 2
    home = [href for _, drawing, _ in diagrams(read(offline_site / "index.html")) for href in DRAWN_LINK.findall(drawing)]
    assert sorted(set(home)) == sorted(f"{url_of(p).rstrip('/')}.html" for p in nav_topic_pages())


# --- fit ------------------------------------------------------------------------------------

def test_maps_and_symptom_trees_fit_a_phones_column(built_site):
    """Natural width <= PHONE_WIDTH: whole on a 390 px phone with labels >= 10 px,
    and so whole at 1280 px with labels at their full 16 px."""
    drawn = {"home map": diagrams(read(built_site / "index.html"))[0],
             **{f"symptom tree {i}": d for i, d in enumerate(diagrams(read(built_site / "symptoms" / "index.html")), 1)}}
    for page in nav_topic_pages():
        after_heading = read(built_site / url_of(page) / "index.html").split('<h2 id="related-topics"', 1)[1]
        drawn[f"{url_of(page)} neighbours map"] = diagrams(after_heading)[0]
    wide = [f"{name}: {natural_size(key)[0]:.0f} px" for name, (key, _, _) in drawn.items() if natural_size(key)[0] > PHONE_WIDTH]
    assert not wide, wide
