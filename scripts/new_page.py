"""Start a topic page: its Markdown from the section's template, a stub example with
its recorded output, a stub test, and its entry in the nav.

    python scripts/new_page.py SECTION SLUG        (make new-page SECTION=component SLUG=retry)

Writes
    docs/<section>/<slug>.md                  from docs/_templates/<template>.md
    docs/examples/<slug>/<name>.py and .out    a program with a main() and a `core` part the page includes
    tests/examples/test_<name>.py             runs it and compares its output with the .out
and adds `<section>/<slug>.md` at the end of the section's entries in mkdocs.yml's
nav. The page builds at once (`make serve` shows it); its `related` front matter
names the three topics before it in the nav, for the writer to choose. The rest is
the writer's: tests/site/test_pages.py fails until the page meets the bar and no
template text is left (CONTRIBUTING.md).

A slug that any section already has, an unknown section or a malformed slug is
refused in one line, exit 2, and nothing is written.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from archnotes.nav import SECTIONS, TEMPLATE_OF_SECTION, topic_path

ROOT = Path(__file__).resolve().parents[1]

DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAV_ENTRY = re.compile(r"^(?P<indent>\s+)- (?P<uri>[\w./-]+\.md)\s*$")

EXAMPLE = '''"""{title}: the example of docs/{section}/{slug}.md.

Replace this stub with a small program that shows what the page explains. The page
includes the part between the `core` markers, and the output of main(), recorded in
{name}.out (regenerate it: .venv/bin/python docs/examples/{slug}/{name}.py > docs/examples/{slug}/{name}.out).
Standard library, or a library pinned in requirements.txt; output identical on every run.
"""

from __future__ import annotations


# --8<-- [start:core]
def demonstrate() -> list[str]:
    """What the page shows, one line of output each."""
    return ["{title}: replace this with the page's example"]
# --8<-- [end:core]


def main() -> None:
    for line in demonstrate():
        print(line)


if __name__ == "__main__":
    main()
'''
TEST = '''"""Tests for docs/examples/{slug}/{name}.py: the behaviour docs/{section}/{slug}.md describes.

Assert what the page claims with the example's own functions, and that its output is the
recorded one the page shows. Coverage of docs/examples/ must stay at 100%.
"""

EXAMPLE = "{slug}/{name}.py"


def test_output_matches_the_recorded_one(run_example, expected_output):
    assert run_example(EXAMPLE) == expected_output("{slug}/{name}.out")


def test_what_the_page_claims(load_example):
    example = load_example(EXAMPLE)
    assert example.demonstrate()  # replace with the behaviour the page describes
'''


class Refused(Exception):
    """Bad input: one line, exit 2, nothing written."""


def paths(section: str, slug: str) -> dict[str, Path]:
    name = slug.replace("-", "_")
    return {"page": DOCS / section / f"{slug}.md", "example": DOCS / "examples" / slug / f"{name}.py",
            "output": DOCS / "examples" / slug / f"{name}.out", "test": ROOT / "tests" / "examples" / f"test_{name}.py"}


def check(section: str, slug: str) -> None:
    if not section or not slug:
        raise Refused("usage: make new-page SECTION=<section> SLUG=<slug>")
    if section not in SECTIONS:
        raise Refused(f"unknown section '{section}' (sections: {', '.join(SECTIONS)})")
    if not SLUG.match(slug):
        raise Refused(f"slug '{slug}' must be lowercase words and digits joined by hyphens: it is the page's URL")
    taken = [p for s in SECTIONS for p in [DOCS / s / f"{slug}.md"] if p.exists()]
    taken += [p for p in paths(section, slug).values() if p.exists()] + [p for p in [DOCS / "examples" / slug] if p.exists()]
    if taken:
        raise Refused(f"slug '{slug}' is taken: {taken[0].relative_to(ROOT)} exists")


def nav_lines(config_text: str) -> list[tuple[int, str, str]]:
    """(line index, indent, page) of each page entry of the nav."""
    return [(i, m["indent"], m["uri"]) for i, line in enumerate(config_text.splitlines())
            if (m := NAV_ENTRY.match(line))]


def related_for(section: str, entries: list[tuple[int, str, str]]) -> list[str]:
    """Three written topics to start `related` with: the last ones of the section, then before it."""
    topics = [uri for _, _, uri in entries if topic_path(uri)]
    own = [uri for uri in topics if uri.startswith(f"{section}/")]
    rest = [uri for uri in topics if uri not in own]
    return (own[::-1] + rest[::-1])[:3]


def page_text(section: str, slug: str, related: list[str]) -> str:
    template = (DOCS / "_templates" / f"{TEMPLATE_OF_SECTION[section]}.md").read_text(encoding="utf-8")
    title = slug.replace("-", " ").capitalize()
    name = slug.replace("-", "_")
    lines = [line for line in template.splitlines() if not line.startswith("# Copy to docs/")]
    front, body = "\n".join(lines).split("\n---\n", 1)
    front = re.sub(r"^title: .*$", f"title: {title}", front, count=1, flags=re.M)
    front = re.sub(r"^related: \[[^\]]*\]", f"related: [{', '.join(Path(r).stem for r in related)}]", front, count=1, flags=re.M)
    body = re.sub(r"^# .*$", f"# {title}", body, count=1, flags=re.M)
    text = f"{front}\n---\n{body}\n".replace("examples/<slug>/<name>", f"examples/{slug}/{name}")
    links = "\n".join(f"- [{title_of(r)}]({link(section, r)}): one line on why it is related." for r in related)
    return re.sub(r"^- \[Other page\]\(other-slug\.md\): .*$", links, text, count=1, flags=re.M)


def title_of(uri: str) -> str:
    match = re.search(r"^title: (.+)$", (DOCS / uri).read_text(encoding="utf-8"), re.M)
    return match[1].strip() if match else Path(uri).stem


def link(section: str, uri: str) -> str:
    target_section, name = uri.split("/", 1)
    return name if target_section == section else f"../{uri}"


def with_nav_entry(config_text: str, section: str, slug: str) -> str:
    entries = nav_lines(config_text)
    own = [(i, indent) for i, indent, uri in entries if uri.startswith(f"{section}/")]
    if not own:
        raise Refused(f"mkdocs.yml's nav has no entry under {section}/ to add {slug} after")
    after, indent = own[-1]
    lines = config_text.splitlines(keepends=True)
    lines.insert(after + 1, f"{indent}- {section}/{slug}.md\n")
    return "".join(lines)


def create(section: str, slug: str) -> list[Path]:
    check(section, slug)
    config_text = CONFIG.read_text(encoding="utf-8")
    new_config = with_nav_entry(config_text, section, slug)  # refuses before anything is written
    files = paths(section, slug)
    name = slug.replace("-", "_")
    values = {"title": slug.replace("-", " ").capitalize(), "section": section, "slug": slug, "name": name}
    files["page"].write_text(page_text(section, slug, related_for(section, nav_lines(config_text))), encoding="utf-8")
    files["example"].parent.mkdir(parents=True, exist_ok=True)
    files["example"].write_text(EXAMPLE.format(**values), encoding="utf-8")
    output = subprocess.run([sys.executable, str(files["example"])], capture_output=True, text=True, check=True).stdout
    files["output"].write_text(output, encoding="utf-8")
    files["test"].write_text(TEST.format(**values), encoding="utf-8")
    CONFIG.write_text(new_config, encoding="utf-8")
    return list(files.values()) + [CONFIG]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if len(args) != 2:
            raise Refused("usage: make new-page SECTION=<section> SLUG=<slug>")
        written = create(*args)
    except Refused as err:
        print(f"new_page: {err}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print("next: write the page (make serve shows it), make diagrams, make check; CONTRIBUTING.md has the bar")
    return 0


if __name__ == "__main__":
    sys.exit(main())
