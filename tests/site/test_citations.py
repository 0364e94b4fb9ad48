"""Citations a reader can follow: `[^key]` in the text, `[^key]: ...` under References.

Python-Markdown's footnotes extension turns each citation into a link to its
entry and each entry into a link back; Material shows the entry on hover
(content.footnote.tooltips). The extension does not complain about mistakes:
a citation with no entry stays as literal text "[^key]", and an entry never
cited is listed anyway. These tests catch both, naming docs/<file>.md:<line>.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import DOCS, FENCE, H2, topic_pages

DEFINITION = re.compile(r"^\[\^([\w-]+)\]:\s")
CITATION = re.compile(r"\[\^([\w-]+)\](?!:)")
# A bare "[12]" or "[3, 4]" in running text: a citation that links nowhere.
PLAIN_NUMBER = re.compile(r"(?<![\w\]^])\[\d+(?:\s*[,–-]\s*\d+)*\](?![(\[:])")
CODE_SPAN = re.compile(r"`[^`\n]*`")
REFERENCES = "## References { #references }"


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of every line outside fenced code, inline code removed."""
    out, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            out.append((number, CODE_SPAN.sub("", line)))
    return out


def citation_problems(path: Path, where: str) -> list[str]:
    """where: the name to report lines under ("docs/component/raft.md")."""
    lines = prose_lines(path)
    defined: dict[str, int] = {}
    cited: dict[str, int] = {}
    problems, heading = [], None
    for number, line in lines:
        if H2.match(line):
            heading = line.strip()
        if m := DEFINITION.match(line):
            defined.setdefault(m[1], number)
            if heading != REFERENCES:
                problems.append(f"{where}:{number}: the entry [^{m[1]}] must sit under '{REFERENCES}'")
            line = line[m.end():]
        for key in CITATION.findall(line):
            cited.setdefault(key, number)
        if heading == REFERENCES and re.match(r"^\d+\.\s", line):
            problems.append(f"{where}:{number}: a numbered reference links nowhere: "
                            "write it as '[^key]: ...' and cite it as [^key]")
        if heading != REFERENCES and PLAIN_NUMBER.search(line):
            problems.append(f"{where}:{number}: '{PLAIN_NUMBER.search(line)[0]}' is a citation that links nowhere: write [^key]")
    problems += [f"{where}:{n}: citation [^{k}] has no entry under References" for k, n in cited.items() if k not in defined]
    problems += [f"{where}:{n}: reference [^{k}] is never cited in the text" for k, n in defined.items() if k not in cited]
    return problems


@pytest.mark.parametrize("path", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_citation_has_an_entry_and_every_entry_is_cited(path):
    assert citation_problems(path, f"docs/{path.relative_to(DOCS).as_posix()}") == []


@pytest.mark.parametrize("path", topic_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_topic_page_cites_its_sources(path):
    assert CITATION.search(path.read_text(encoding="utf-8")), f"docs/{path.relative_to(DOCS).as_posix()}: no [^key] citation"


def test_the_check_names_each_mistake(tmp_path):
    page = tmp_path / "fixture.md"
    page.write_text(
        "# Fixture\n\n"
        "Cited [^a] and [^missing], and an old style one [3].\n\n"
        "## References { #references }\n\n"
        "[^a]: Cited.\n"
        "[^unused]: Never cited.\n"
        "4. Numbered.\n",
        encoding="utf-8",
    )
    assert citation_problems(page, "docs/fixture.md") == [
        "docs/fixture.md:3: '[3]' is a citation that links nowhere: write [^key]",
        "docs/fixture.md:9: a numbered reference links nowhere: write it as '[^key]: ...' and cite it as [^key]",
        "docs/fixture.md:3: citation [^missing] has no entry under References",
        "docs/fixture.md:8: reference [^unused] is never cited in the text",
    ]
