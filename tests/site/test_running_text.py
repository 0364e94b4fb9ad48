"""The running text teaches the topic; it does not tell the history of the page.

The site's pages began as the 2018 notes of enqueuezero.com, whose URLs
redirect here. Where those notes were wrong, a reader may have learned the
error there, so a page may keep the corrections, in one collapsed admonition
at the end of its text, right before References:

    ??? note "Corrections to the 2018 notes"

        - The 2018 notes said ...; in fact ... [^source].

Anywhere else, words about the page's own past fail this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pages import DOCS, FENCE, topic_pages

CORRECTIONS = '??? note "Corrections to the 2018 notes"'
REFERENCES = "## References { #references }"
HISTORY = re.compile(
    r"\bthe seed\b|\bseed (?:version|page|text)\b|enqueuezero"
    r"|\b(?:old|older|earlier|original|previous|first|2018) (?:version|article|notes|page|text)\b"
    r"|\bthis page (?:used to|once|originally|previously)\b",
    re.I,
)


def history_lines(path: Path, where: str) -> list[str]:
    """Lines outside code and outside the corrections admonition that talk about the page's past."""
    problems, fenced, in_corrections = [], False, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if line.startswith(CORRECTIONS):
            in_corrections = True
            continue
        if in_corrections and line.strip() and not line.startswith("    "):
            in_corrections = False  # the admonition ends at the first line not indented under it
        if not fenced and not in_corrections and (m := HISTORY.search(line)):
            problems.append(f"{where}:{number}: '{m[0]}': the running text does not tell the page's history; "
                            f"put a correction in '{CORRECTIONS}' before References")
    return problems


def corrections_problems(path: Path, where: str) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith(CORRECTIONS)]
    if not starts:
        return []
    if len(starts) > 1:
        return [f"{where}:{starts[1] + 1}: one '{CORRECTIONS}' admonition per page"]
    following = [line for line in lines[starts[0] + 1:] if line.strip() and not line.startswith("    ")]
    if not following or following[0] != REFERENCES:
        return [f"{where}:{starts[0] + 1}: the corrections end the page's text: put them right before '{REFERENCES}'"]
    return []


@pytest.mark.parametrize("path", topic_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_running_text_does_not_tell_the_pages_history(path):
    where = f"docs/{path.relative_to(DOCS).as_posix()}"
    assert history_lines(path, where) + corrections_problems(path, where) == []


def test_the_check_names_each_line(tmp_path):
    page = tmp_path / "fixture.md"
    page.write_text(
        "# Fixture\n\n"
        "The seed of this page said so.\n"
        "Teaching text.\n\n"
        f"{CORRECTIONS}\n\n"
        "    - The 2018 notes said X; in fact Y.\n\n"
        "The original article was wrong.\n\n"
        f"{REFERENCES}\n",
        encoding="utf-8",
    )
    problems = history_lines(page, "docs/fixture.md") + corrections_problems(page, "docs/fixture.md")
    assert [p.split(": ")[0] for p in problems] == ["docs/fixture.md:3", "docs/fixture.md:10", "docs/fixture.md:6"]
