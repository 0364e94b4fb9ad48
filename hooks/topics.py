"""Topic pages: front-matter schema, section indexes and the home-page map.

Every topic page lives at docs/<section>/<slug>.md and is served at
/<section>/<slug>/. This hook reads their front matter once per build, rejects
anything it does not know (the build stops with file and key), and fills the
markers that section indexes and the home page carry:

    <!-- topics:list -->      a table of the section's written pages
    <!-- topics:sections -->  the four sections, one line each (home page)
    <!-- topics:map -->       a clickable mermaid map of the written topics,
                              grouped by section
    <!-- topics:glossary -->  the glossary, from docs/_snippets/abbreviations.md

Each topic page also gets, under its "Related topics" heading (the one whose
id is related-topics), a small clickable "neighbours" map drawn from its
`related` front matter: the page in the middle, its related topics around it.
The pages' Markdown carries no marker for it; the heading is the marker.

Links in these diagrams (mermaid `click` lines) name pages by their Markdown
file, as an author writes them; hooks/diagram_links.py resolves them for each
edition.

After the build it writes two machine-readable indexes of the topics:
topics.json and llms.txt. Nothing here is hand-kept: a page appears in its
index, on the map, in its neighbours' maps and in both files as soon as it
exists and is in the nav.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from mkdocs.exceptions import PluginError

from archnotes.nav import SECTIONS, docs_label, nav_uris, topic_path

# The tag vocabulary, declared once. A page may only use these.
TAGS = {
    "resilience": "surviving failures of dependencies and overload",
    "scalability": "growing capacity by adding machines",
    "performance": "latency, throughput and resource use",
    "distributed-systems": "several machines cooperating over a network",
    "consensus": "agreeing on one value or log despite failures",
    "data": "storing, encoding and partitioning data",
    "messaging": "queues, streams and asynchronous hand-off",
    "scheduling": "running work later or periodically",
    "operations": "running, measuring and deploying systems",
    "structure": "how code and services are organised",
    "case-study": "how a real organisation built its systems",
    "python": "tours of Python projects",
}

GLOSSARY = "_snippets/abbreviations.md"  # relative to docs_dir
ABBREVIATION = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<text>.+)$")

DESCRIPTION_MAX = 160
TOPIC_KEYS = {"title": str, "description": str, "tags": list, "related": list}
INDEX_KEYS = {"title": str, "description": str}

MARKER = re.compile(r"<!--\s*topics:([\w-]+)\s*-->")
MARKERS = ("list", "sections", "map", "glossary")


@dataclass(frozen=True)
class Topic:
    section: str
    slug: str
    src_uri: str
    title: str
    description: str
    tags: tuple[str, ...]
    related: tuple[str, ...]

    @property
    def url(self) -> str:
        return f"{self.section}/{self.slug}/"


class FrontMatterError(PluginError):
    """A page's front matter breaks the schema; names the file and the key."""


class FrontMatter(dict):
    """A page's front matter, and the line of the file each key is on."""

    def __init__(self, values: dict, lines: dict[str, int]):
        super().__init__(values)
        self.lines = lines


def check_front_matter(src_uri: str, meta: dict, schema: dict) -> None:
    """Raise FrontMatterError naming file, line and key for any departure from
    schema. src_uri is the file as the writer names it (docs/component/raft.md)."""
    lines = getattr(meta, "lines", {})

    def at(key: str | None = None) -> str:
        return f"{src_uri}:{lines.get(key, 1)}"

    for key in meta:
        if key not in schema:
            raise FrontMatterError(f"{at(key)}: unknown front-matter key '{key}' (allowed: {', '.join(schema)})")
    for key, kind in schema.items():
        if key not in meta:
            raise FrontMatterError(f"{at()}: missing front-matter key '{key}' (needed: {', '.join(schema)})")
        if not isinstance(meta[key], kind) or not meta[key]:
            raise FrontMatterError(f"{at(key)}: front-matter key '{key}' must be a non-empty {kind.__name__}")
    if len(meta["description"]) > DESCRIPTION_MAX:
        raise FrontMatterError(
            f"{at('description')}: front-matter key 'description' has {len(meta['description'])} characters "
            f"(at most {DESCRIPTION_MAX})"
        )
    for tag in meta.get("tags", []):
        if tag not in TAGS:
            raise FrontMatterError(f"{at('tags')}: front-matter key 'tags' has unknown tag '{tag}' "
                                   f"(allowed: {', '.join(TAGS)}; TAGS in hooks/topics.py)")


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
KEY_LINE = re.compile(r"^([^\s#:][^:]*?)\s*:", re.M)


def read_meta(path: Path, src_uri: str) -> FrontMatter:
    """Front matter as a dict, with the line of each key. MkDocs silently drops
    front matter that is not valid YAML; here that stops the build instead.
    src_uri is the file as errors name it (docs/component/raft.md)."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise FrontMatterError(f"{src_uri}:1: no front matter (a '---' block at the top of the file)")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # + the opening '---'
        raise FrontMatterError(f"{src_uri}:{line}: front matter is not valid YAML: {' '.join(str(err).split())}") from None
    if not isinstance(meta, dict):
        raise FrontMatterError(f"{src_uri}:2: front matter must be a mapping of keys to values")
    text = match.group(1)
    lines = {m[1]: text.count("\n", 0, m.start()) + 2 for m in KEY_LINE.finditer(text)}
    return FrontMatter(meta, lines)


def load_topics(docs_dir: Path, src_uris: list[str], docs_label: str = "docs") -> list[Topic]:
    """Read and check every page's front matter (topics: TOPIC_KEYS, others:
    INDEX_KEYS); check related slugs. Errors name docs_label/<src_uri>:<line>."""
    topics, related_lines = [], {}
    for src_uri in src_uris:
        where = topic_path(src_uri)
        name = f"{docs_label}/{src_uri}"
        meta = read_meta(docs_dir / src_uri, name)
        if where is None:
            check_front_matter(name, meta, INDEX_KEYS)
            continue
        check_front_matter(name, meta, TOPIC_KEYS)
        related_lines[src_uri] = f"{name}:{meta.lines.get('related', 1)}"
        topics.append(
            Topic(where[0], where[1], src_uri, meta["title"], meta["description"],
                  tuple(meta["tags"]), tuple(meta["related"]))
        )
    slugs = {t.slug for t in topics}
    for t in topics:
        for slug in t.related:
            if slug not in slugs:
                raise FrontMatterError(f"{related_lines[t.src_uri]}: front-matter key 'related' names '{slug}', "
                                       f"which is not a written topic (written: {', '.join(sorted(slugs))})")
    return topics


# --- what the markers expand to -------------------------------------------

def topic_table(topics: list[Topic], section: str) -> str:
    rows = [t for t in topics if t.section == section]
    if not rows:
        return "No pages in this section yet."
    lines = ["| Topic | In one line |", "| --- | --- |"]
    lines += [f"| [{t.title}]({t.slug}.md) | {t.description} |" for t in rows]
    return "\n".join(lines)


def section_list(section_meta: dict[str, dict]) -> str:
    return "\n".join(
        f"- **[{section_meta[s]['title']}]({s}/index.md)**: {section_meta[s]['description']}"
        for s in SECTIONS
    )


# A map box's label goes on two lines when the title is longer than this, so
# that three boxes fit side by side in a phone's column (natural width under
# ~570 px: shown at 10/16 of it at most, labels stay >= 10 px).
BOX_LINE = 15
PER_ROW = 3  # boxes side by side, on the home map and above and below a page in its neighbours' map


def box_label(title: str) -> str:
    """The title on one line, or on two broken at the space nearest its middle."""
    spaces = [i for i, char in enumerate(title) if char == " "]
    if len(title) <= BOX_LINE or not spaces:
        return title
    cut = min(spaces, key=lambda i: abs(2 * i - len(title)))
    return f"{title[:cut]}<br>{title[cut + 1:]}"


def topic_map(topics: list[Topic], section_meta: dict[str, dict], per_row: int = PER_ROW) -> str:
    """A mermaid flowchart of the written topics: one box per section in the
    seed's order, holding one clickable node per topic, per_row to a row, read
    left to right. Sections small enough share a row (see section_rows).
    Links are relative to the home page."""
    shown = [s for s in SECTIONS if any(t.section == s for t in topics)]
    titles = ", ".join(section_meta[s]["title"] for s in shown)
    lines = ["```mermaid", "flowchart TB",
             "  accTitle: Map of the topics, by section",
             f"  accDescr: The sections ({titles}), each a group of its topic pages. Each box is a link to its page."]
    for section in shown:
        members = [t for t in topics if t.section == section]
        lines.append(f'  subgraph {section}["{section_meta[section]["title"]}"]')
        # Inside a group mermaid turns the layout by a quarter unless told.
        lines.append("    direction TB")
        lines += [f'    {node_id(t)}["{box_label(t.title)}"]' for t in members]
        # Invisible links put each node under the one per_row places before it.
        lines += [f"    {node_id(a)} ~~~ {node_id(b)}" for a, b in zip(members, members[per_row:])]
        lines.append("  end")
    # Each row of sections under the one before it, in the seed's order.
    rows = section_rows(topics, shown, per_row)
    for upper, lower in zip(rows, rows[1:]):
        lines += [f"  {a} ~~~ {b}" for a in upper for b in lower]
    lines += clicks(topics)
    lines.append("```")
    return "\n".join(lines)


def section_rows(topics: list[Topic], sections: list[str], per_row: int) -> list[list[str]]:
    """The sections in order, grouped into rows: consecutive sections share a
    row while their topics together fit in one row of boxes."""
    rows: list[list[str]] = []
    width = 0
    for section in sections:
        size = sum(t.section == section for t in topics)
        if rows and width + size <= per_row:
            rows[-1].append(section)
            width += size
        else:
            rows.append([section])
            width = size
    return rows


def neighbours_map(topic: Topic, topics: list[Topic]) -> str:
    """A mermaid flowchart of one topic and the topics its `related` front
    matter names: the page in the middle (bold), the first half of its related
    topics above it and the rest below, each joined to it, in the order the
    page lists them. Drawn top to bottom: with up to 2 x PER_ROW related topics
    no row is wider than the home map's, so it fits a phone's column.

    No `click` lines: the list right under the map links each topic with the
    reason it belongs, so the map can be a lazy image. With links it would be
    inline SVG in both palettes, 3.7 KB gzip more on the first load of every
    topic page (circuit-breaker's went over the 100 KB budget)."""
    by_slug = {t.slug: t for t in topics}
    near = [by_slug[slug] for slug in topic.related]
    above, below = near[:(len(near) + 1) // 2], near[(len(near) + 1) // 2:]
    centre = node_id(topic)
    lines = ["```mermaid", "flowchart TB",
             f"  accTitle: {topic.title} and its related topics",
             f"  accDescr: {topic.title} in the middle, joined to the {len(near)} topics it names as related: "
             f"{', '.join(t.title for t in near)}. The list below links each one and says why it belongs."]
    lines += [f'  {node_id(t)}["{box_label(t.title)}"]' for t in above]
    lines.append(f'  {centre}["<b>{box_label(topic.title)}</b>"]')
    lines += [f'  {node_id(t)}["{box_label(t.title)}"]' for t in below]
    lines += [f"  {node_id(t)} --- {centre}" for t in above]
    lines += [f"  {centre} --- {node_id(t)}" for t in below]
    lines.append("```")
    return "\n".join(lines)


RELATED_HEADING = re.compile(r"^## [^\n]*\{\s*#related-topics\s*\}[ \t]*$", re.M)


def with_neighbours_map(markdown: str, topic: Topic, topics: list[Topic]) -> str:
    """The page's Markdown with its neighbours' map right under its Related topics heading."""
    heading = RELATED_HEADING.search(markdown)
    if heading is None:
        raise PluginError(f"{topic.src_uri}: no '## Related topics {{ #related-topics }}' heading, "
                          "under which the map of its related topics goes")
    return f"{markdown[:heading.end()]}\n\n{neighbours_map(topic, topics)}\n{markdown[heading.end():]}"


def clicks(topics: list[Topic]) -> list[str]:
    """A `click` line per topic: a link to its page's file, relative to index.md (the map's
    page), which hooks/diagram_links.py resolves for each edition."""
    return [f'  click {node_id(t)} href "{t.src_uri}" "{t.title}"' for t in topics]


def glossary(docs_dir: Path) -> str:
    """A definition list of every term in the abbreviations file, sorted."""
    entries = read_glossary(docs_dir)
    return "\n\n".join(f"{term}\n:   {text}" for term, text in sorted(entries.items(), key=lambda e: e[0].lower()))


def read_glossary(docs_dir: Path) -> dict[str, str]:
    entries = {}
    for number, line in enumerate((docs_dir / GLOSSARY).read_text(encoding="utf-8").splitlines(), 1):
        match = ABBREVIATION.match(line)
        if match:
            if match["term"] in entries:
                raise PluginError(f"{GLOSSARY}:{number}: '{match['term']}' is defined twice")
            entries[match["term"]] = match["text"]
        elif line.startswith("*["):
            raise PluginError(f"{GLOSSARY}:{number}: not a `*[TERM]: definition` line")
    return entries


def node_id(topic: Topic) -> str:
    return "t_" + topic.slug.replace("-", "_")


# --- MkDocs events ------------------------------------------------------------

_topics: list[Topic] = []
_sections: dict[str, dict] = {}


def on_files(files, config):
    docs_dir = Path(config["docs_dir"])
    pages = sorted((f.src_uri for f in files.documentation_pages()), key=nav_order(config))
    _topics[:] = load_topics(docs_dir, pages, docs_label(config))
    _sections.clear()
    for section in SECTIONS:
        index = docs_dir / section / "index.md"
        if index.exists():
            _sections[section] = read_meta(index, f"{docs_label(config)}/{section}/index.md")
    return files


def nav_order(config):
    """Sort pages by their position in the nav, so indexes follow the seed's order."""
    order = {uri: i for i, uri in enumerate(nav_uris(config["nav"]))}
    return lambda uri: (order.get(uri, len(order)), uri)


def on_page_markdown(markdown, page, config, files):
    def expand(match):
        name = match.group(1)
        section = PurePosixPath(page.file.src_uri).parts[0]
        if name == "list" and section in SECTIONS:
            return topic_table(_topics, section)
        if name == "sections" and page.file.src_uri == "index.md":
            return section_list(_sections)
        if name == "map" and page.file.src_uri == "index.md":
            return topic_map(_topics, _sections)
        if name == "glossary":
            return glossary(Path(config["docs_dir"]))
        source = page.file.content_string
        line = source.count("\n", 0, max(source.find(match.group(0)), 0)) + 1
        raise PluginError(f"{docs_label(config)}/{page.file.src_uri}:{line}: unknown or misplaced marker "
                          f"'<!-- topics:{name} -->' (known: {', '.join(MARKERS)})")

    markdown = MARKER.sub(expand, markdown)
    topic = next((t for t in _topics if t.src_uri == page.file.src_uri), None)
    return markdown if topic is None else with_neighbours_map(markdown, topic, _topics)


# --- machine-readable indexes, written after the build ---------------------------

def topic_records(topics: list[Topic], site_url: str) -> list[dict]:
    return [
        {"title": t.title, "description": t.description, "url": site_url + t.url, "section": t.section,
         "slug": t.slug, "tags": list(t.tags), "related": list(t.related)}
        for t in topics
    ]


def llms_txt(config, topics: list[Topic], site_url: str) -> str:
    """The llms.txt format (llmstxt.org): a title, a one-line summary, then link lists."""
    summary = " ".join((config["site_description"] or "").split())
    lines = [f"# {config['site_name']}", ""] + ([f"> {summary}", ""] if summary else [])
    for section in SECTIONS:
        members = [t for t in topics if t.section == section]
        if members:
            lines.append(f"## {_sections[section]['title']}")
            lines.append("")
            lines += [f"- [{t.title}]({site_url + t.url}): {t.description}" for t in members]
            lines.append("")
    return "\n".join(lines)


def on_post_build(config):
    site_dir = Path(config["site_dir"])
    site_url = config["site_url"] or "/"
    (site_dir / "topics.json").write_text(
        json.dumps({"topics": topic_records(_topics, site_url)}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (site_dir / "llms.txt").write_text(llms_txt(config, _topics, site_url), encoding="utf-8")
