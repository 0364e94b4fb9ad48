"""Links in diagrams are checked in every edition: scripts/check_links.py, run with each
edition's config on a copy of the project whose symptom trees have a broken link, reports
it where it is written (docs/symptoms.md, line of the `click`), in the web, offline and
PDF editions alike. (The resolving itself: hooks/diagram_links.py, tests/site/test_build_errors.py;
clicking: tests/browser/test_editions.py.)"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

import check_links  # scripts/ and tests/: on pytest's path (pyproject.toml)
from archnotes.editions import EDITIONS
from copy_project import copy_project

ROOT = Path(__file__).resolve().parents[2]

PAGE_LINK = ('click T1 href "component/circuit-breaker.md#solution"', 'click T1 href "component/circuit-breakr.md#solution"')
ANCHOR_LINK = ('click T3 href "component/raft.md#linearizable-reads"', 'click T3 href "component/raft.md#linearisable-reads"')


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("diagram-links"))
    symptoms = project / "docs" / "symptoms.md"
    text = symptoms.read_text(encoding="utf-8")
    for old, new in (PAGE_LINK, ANCHOR_LINK):
        assert old in text
        text = text.replace(old, new)
    symptoms.write_text(text, encoding="utf-8")
    return project


def lines_of(project: Path, needle: str) -> list[int]:
    lines = (project / "docs" / "symptoms.md").read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, 1) if needle in line]


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_a_broken_diagram_link_is_found_where_it_is_written_in_every_edition(broken, edition, monkeypatch):
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("DISABLE_MKDOCS_2_WARNING", "true")
    monkeypatch.chdir(broken)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = check_links.main(["-f", EDITIONS[edition].config, "--format", "json"])
    findings = json.loads(out.getvalue())["findings"]
    assert code == 1
    found = {(f["file"], f["line"], f["kind"], f["target"]) for f in findings if f["file"] == "symptoms.md"}
    page_target, anchor_target = PAGE_LINK[1].split('"')[1], ANCHOR_LINK[1].split('"')[1]
    assert found == {("symptoms.md", line, "missing-page", page_target) for line in lines_of(broken, page_target)} | \
        {("symptoms.md", line, "missing-anchor", anchor_target) for line in lines_of(broken, anchor_target)}
    assert len(found) == 3  # the circuit breaker's link is in two trees
    messages = {f["target"]: f["message"] for f in findings if f["file"] == "symptoms.md"}
    assert "did you mean `component/circuit-breaker.md#solution`?" in messages[page_target]
    assert "did you mean `component/raft.md#linearizable-reads`?" in messages[anchor_target]


def test_links_inside_an_inline_svg_are_checked_once_each(tmp_path, monkeypatch):
    """Any MkDocs project: an <a> in an inline SVG links by `href` or `xlink:href`; a
    drawing shown in two palettes holds each link twice, which is one link to check."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Fixture\nnav:\n  - index.md\n  - other.md\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
           '<a xlink:href="{0}"><text>A</text></a><a href="{1}"><text>B</text></a></svg>')
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n<div>\n" + svg.format("other/", "gone/") + "\n" + svg.format("other/", "gone/") + "\n</div>\n\n"
        "<div>\n" + svg.format("nowhere/", "other/#top") + "\n</div>\n")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = check_links.main(["--format", "json"])
    report = json.loads(out.getvalue())
    assert code == 1
    assert sorted((f["file"], f["line"], f["target"]) for f in report["findings"]) == [
        ("index.md", 4, "gone/"), ("index.md", 9, "nowhere/")]
