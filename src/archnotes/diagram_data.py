"""What the site knows about its diagrams, as data: one definition for hooks and scripts.

* The fence's markup: a ```mermaid fence becomes <div class="mermaid">SOURCE</div>
  (pymdownx.superfences.fence_div_format, the source HTML-escaped); FENCE finds it.
  Only hooks read it, during the build, before hooks/diagrams.py replaces it.
* The drawings: diagrams/KEY.svg holds the light SVG on its first line and
  the dark SVG on the second (scripts/render_diagrams.py writes them,
  hooks/diagrams.py reads them).
* The manifest: every build writes SITE_DIR/diagrams.json (hooks/diagrams.py),
  one record per diagram of every page: its key, the Markdown file and line
  of its fence, its number on the page, the page's URL, the edition, whether
  a drawing exists, the URLs of its `click` lines and its source. Scripts read
  that instead of parsing diagrams back out of built HTML:
  render_diagrams (what to draw, what no edition uses), check_diagrams (what
  to parse), check_links (the links of diagrams, which a drawn diagram holds
  only inside its SVG) and the tests.

No MkDocs import: scripts import this with nothing but the standard library.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

FENCE = re.compile(r'<div class="mermaid">(.*?)</div>', re.S)
MANIFEST = "diagrams.json"
MANIFEST_VERSION = 1


# --- drawings: diagrams/KEY.svg ------------------------------------------------------

def read_drawing(folder: Path, key: str) -> tuple[str, str] | None:
    """The drawing of KEY: its light SVG and its dark one, or None if not drawn yet."""
    path = folder / f"{key}.svg"
    if not path.is_file():
        return None
    light, dark = path.read_text(encoding="utf-8").split("\n", 1)
    return light, dark.strip()


def write_drawing(folder: Path, key: str, light: str, dark: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.svg"
    path.write_text(light + "\n" + dark + "\n", encoding="utf-8")
    return path


def drawing_keys(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.svg")}


# --- click links ---------------------------------------------------------------------

def click_links(source: str) -> list[str]:
    """URLs of a diagram's `click ID href "url"` and `click ID "url"` lines.
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


# --- the manifest: SITE_DIR/diagrams.json ----------------------------------------------

@dataclass
class Diagram:
    key: str
    file: str  # the Markdown file, from the project root: docs/component/raft.md
    line: int  # line of its ``` fence in that file (of the marker, when a hook wrote the diagram)
    number: int  # its position on the page, from 1
    page: str  # the page's URL, relative to the site root ("" for the home page)
    edition: str  # web, offline or pdf (src/archnotes/editions.py)
    drawn: bool  # diagrams/KEY.svg exists
    source: str  # the mermaid source, as written
    links: list[str] = field(default_factory=list)  # its `click` URLs, relative to the page
    # Line of the source's first line in the file; None when a hook wrote the
    # diagram (the home page's maps), so mermaid's line numbers are not the file's.
    first_line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def file_line(self, mermaid_line: int | None) -> int:
        """The line of the Markdown file that mermaid's "line N" of this diagram is."""
        if mermaid_line is None or self.first_line is None:
            return self.line
        return self.first_line + mermaid_line - 1

    def syntax_error(self, message: str) -> str:
        """mermaid's message, where the writer fixes it: docs/<file>.md:<line>, the line
        being the one of the file that mermaid's "line N" of this diagram is."""
        match = re.search(r"line (\d+)", message, re.I)
        line = self.file_line(int(match[1]) if match else None)
        return f"{self.file}:{line}: diagram {self.number} of /{self.page} does not parse: {' '.join(message.split())}"

    @property
    def text(self) -> str:
        """The source as mermaid is given it (scripts/render_diagrams.py, check_diagrams.py)."""
        return self.source.strip()


class ManifestError(Exception):
    """A site folder without a manifest, or with one this code cannot read."""


def write_manifest(site_dir: Path, edition: str, diagrams: list[Diagram]) -> None:
    data = {"version": MANIFEST_VERSION, "edition": edition, "diagrams": [asdict(d) for d in diagrams]}
    (Path(site_dir) / MANIFEST).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(site_dir: Path) -> list[Diagram]:
    path = Path(site_dir) / MANIFEST
    if not path.is_file():
        raise ManifestError(f"{site_dir} has no {MANIFEST} (is it a site built with hooks/diagrams.py?)")
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MANIFEST_VERSION:
        raise ManifestError(f"{path}: version {data.get('version')}, this code reads {MANIFEST_VERSION}")
    return [Diagram(**d) for d in data["diagrams"]]


# --- where a fence is written -----------------------------------------------------------

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?(?P<lang>[\w-]*)")


@dataclass
class Fence:
    line: int  # index of the opening fence in the text's lines, from 0
    source: str


def mermaid_fences(markdown: str) -> list[Fence]:
    """Every ```mermaid fence of a Markdown text, with the index of its opening line.
    A fence inside a longer fence (a page showing how to write one) is code, not a diagram."""
    fences, lines = [], markdown.splitlines()
    i = 0
    while i < len(lines):
        opening = OPENING.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, marker, lang = len(opening["indent"]), opening["fence"], opening["lang"]
        closing = re.compile(rf"^[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$")
        end = next((j for j in range(i + 1, len(lines)) if closing.match(lines[j])), len(lines))
        if lang == "mermaid":
            fences.append(Fence(i, "\n".join(line[indent:] for line in lines[i + 1:end])))
        i = end + 1
    return fences


def same_source(a: str, b: str) -> bool:
    """The same diagram, whatever the indentation and blank lines around it."""
    def norm(s):
        return [line.strip() for line in s.strip().splitlines()]
    return norm(a) == norm(b)


def line_map(written: str, final: str) -> list[int]:
    """For each line of `final` (a page's Markdown after every hook changed it),
    the line (from 1) of `written` (its file) it comes from: a line a hook put
    there (a marker's expansion) maps to the line it replaced."""
    a, b = written.splitlines(), final.splitlines()
    if a[len(a) - len(b):] == b:  # the file less its front matter: the usual case
        return list(range(len(a) - len(b) + 1, len(a) + 1))
    lines = [0] * len(b)
    for tag, i1, _i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        for j in range(j1, j2):
            lines[j] = (i1 + j - j1 + 1) if tag == "equal" else min(i1 + 1, len(a))
    return lines


def fences_in_file(written: str, final: str) -> list[tuple[Fence, int, bool]]:
    """Each mermaid fence of the final Markdown: (fence, line of the file, written in the file)."""
    lines = line_map(written, final)
    in_file = {f.line + 1: f.source for f in mermaid_fences(written)}
    out = []
    for fence in mermaid_fences(final):
        line = lines[fence.line] if fence.line < len(lines) else 1
        out.append((fence, line, line in in_file and same_source(in_file[line], fence.source)))
    return out


def first_source_line(fence_line: int, source: str) -> int:
    """The file's line of the first line mermaid reads (it is given the source stripped)."""
    blank = next((i for i, line in enumerate(source.splitlines()) if line.strip()), 0)
    return fence_line + 1 + blank
