"""Every diagram speaks the site's visual vocabulary (CONTRIBUTING.md, "Visual vocabulary"):
a few node shapes, each with one meaning, and no colours of its own, since the theme draws
every diagram in the site's palette, light and dark."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```mermaid\n(.*?)^```", re.S | re.M)

QUOTED = re.compile(r'"[^"]*"')  # labels may hold any character
EDGE_LABEL = re.compile(r"\|[^|]*\|")
BREAK = re.compile(r"<br\s*/?>")
# The shapes a flowchart may not use: each is listed with what it is in mermaid.
OFF_VOCABULARY = {
    # mermaid 11 draws a stadium as a path of hundreds of points: 13 KB more per
    # drawing than a rounded rectangle, which says "client" as well.
    "stadium `A([text])` (use a rounded rectangle `A(text)` for a client)": re.compile(r"(?<![\w-])[A-Za-z_][\w-]*\(\["),
    "parallelogram or trapezoid `A[/text/]`": re.compile(r"(?<![\w-])[A-Za-z_][\w-]*\[[/\\]"),
    "double circle `A(((text)))`": re.compile(r"(?<![\w-])[A-Za-z_][\w-]*\(\(\("),
    "asymmetric shape `A>text]`": re.compile(r"(?<![\w<-])[A-Za-z_][\w-]*>(?![>-])"),
}
SHAPE = re.compile(r"@\{[^}]*\bshape:\s*([\w-]+)")
SHAPES = {"h-cyl"}  # a queue, log, stream or buffer
HEXAGON = re.compile(r"(?<![\w-])[A-Za-z_][\w-]*\{\{")
HEXAGON_PAGES = {"symptoms.md"}  # a symptom a reader observes: the symptom trees only
COLOUR_LINE = re.compile(r"^\s*(style|classDef|linkStyle)\b|:::", re.M)


def diagrams() -> list:
    """Every mermaid fence under docs/, named by its file and line."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(pytest.param(path, match[1], id=f"{path.relative_to(DOCS)}:{line}"))
    return found


DIAGRAMS = diagrams()


def node_text(source: str) -> str:
    """A flowchart's source without labels, link lines and accessibility text: its ids and shapes."""
    lines = [line for line in source.splitlines()[1:]
             if not line.strip().startswith(("acc", "click", "%%"))]
    return EDGE_LABEL.sub("", QUOTED.sub('""', BREAK.sub(" ", "\n".join(lines))))


@pytest.mark.parametrize("path, source", DIAGRAMS)
def test_no_colours_of_its_own(path, source):
    assert not COLOUR_LINE.search(source), "colours come from the theme (PALETTE in diagram-live.mjs)"


@pytest.mark.parametrize("path, source", DIAGRAMS)
def test_flowchart_shapes_are_from_the_vocabulary(path, source):
    if not source.lstrip().startswith(("flowchart", "graph")):
        return
    nodes = node_text(source)
    for name, pattern in OFF_VOCABULARY.items():
        found = pattern.search(nodes)
        assert not found, f"{name} is not in the vocabulary: {found[0]!r}"
    assert set(SHAPE.findall(source)) <= SHAPES, "of the @{ shape } forms, only h-cyl (a queue)"
    if path.name not in HEXAGON_PAGES:
        assert not HEXAGON.search(nodes), "a hexagon is a symptom: the symptom trees only"


@pytest.mark.parametrize("source, allowed", [
    ('flowchart TB\n  C(Client) --> S[Service]\n  S --> D[(Store)]', True),
    ('flowchart TB\n  C([Client]) --> S[Service]', False),
    ('flowchart TB\n  S --> Q@{ shape: h-cyl, label: "jobs" }\n  S --> X[[Payment API]]', True),
    ('flowchart TB\n  K{Healthy?} -->|"yes"| N((node A))\n  S -.->|"a > b"| T', True),
    ('flowchart TB\n  S[/Input/] --> T', False),
    ('flowchart TB\n  S>Flag] --> T', False),
    ('flowchart TB\n  S --> T@{ shape: hex }', False),
])
def test_the_checks_tell_vocabulary_from_other_shapes(source, allowed):
    nodes = node_text(source)
    ok = (not any(p.search(nodes) for p in OFF_VOCABULARY.values())
          and set(SHAPE.findall(source)) <= SHAPES)
    assert ok is allowed


def test_colour_lines_are_found():
    assert COLOUR_LINE.search("flowchart TB\n  A --> B\n  style A fill:#f00")
    assert COLOUR_LINE.search("flowchart TB\n  A:::hot --> B")
    assert not COLOUR_LINE.search("flowchart TB\n  A[stylesheet] --> B")
