"""Reading topic pages the way the tests need: headings, sections, counts.

These are line scans for structure (headings, fences), not link finding;
scripts/check_links.py uses real parsers for links.
"""

from __future__ import annotations

import re
from pathlib import Path

from archnotes.nav import TEMPLATE_OF_SECTION, nav_uris, topic_path  # noqa: F401  (TEMPLATE_OF_SECTION: for the tests)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TEMPLATES = DOCS / "_templates"
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
FENCE = re.compile(r"^\s*(```|~~~)")
H2 = re.compile(r"^## (.+?)\s*$")


def topic_pages() -> list[Path]:
    """Every topic page written: docs/<section>/<slug>.md."""
    return sorted(p for s in TEMPLATE_OF_SECTION for p in (DOCS / s).glob("*.md") if p.name != "index.md")


def nav_topics() -> list[str]:
    """The topic pages in mkdocs.yml's nav, as docs/-relative paths, in nav order."""
    from mkdocs.config import load_config

    return [uri for uri in nav_uris(load_config(str(ROOT / "mkdocs.yml"))["nav"]) if topic_path(uri)]


def nav_topic_pages() -> list[Path]:
    """The topic pages in the nav, in nav order, as files: what readers are shown, and what the generated maps hold."""
    return [DOCS / uri for uri in nav_topics()]


def body(path: Path) -> str:
    return FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)


def outside_fences(text: str) -> list[str]:
    """The lines of text that are not inside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def h2_headings(path: Path) -> list[str]:
    return [m.group(1) for line in outside_fences(body(path)) if (m := H2.match(line))]


def section(path: Path, heading_id: str) -> str:
    """The Markdown under the H2 whose id is heading_id, up to the next H2."""
    out, inside = [], False
    for line in outside_fences(body(path)):
        if H2.match(line):
            inside = line.rstrip().endswith(f"{{ #{heading_id} }}")
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


def first_paragraph(path: Path) -> str:
    lines = outside_fences(body(path))
    start = next(i for i, line in enumerate(lines) if line.startswith("# ")) + 1
    para = []
    for line in lines[start:]:
        if not line.strip():
            if para:
                break
            continue
        para.append(line.strip())
    return " ".join(para)


def prose_words(path: Path) -> int:
    text = re.sub(r"```.*?```", "", body(path), flags=re.S)
    return len(re.findall(r"[A-Za-z][A-Za-z'-]+", text))


def count_diagrams(path: Path) -> int:
    return len(re.findall(r"^\s*```\s*mermaid", body(path), flags=re.M))


def count_snippets(path: Path) -> int:
    return len(re.findall(r"^--8<-- \"examples/[^\"]+\.py(:[\w-]+)?\"$", body(path), flags=re.M))


def linked_slugs(markdown: str) -> list[str]:
    """Slugs of the .md pages that a chunk of Markdown links to."""
    return [Path(m).stem for m in re.findall(r"\]\(([^)#\s]+)\.md(?:#[^)]*)?\)", markdown)]


def reference_urls(path: Path) -> list[str]:
    return re.findall(r"\]\((https?://[^)\s]+)\)", section(path, "references"))
