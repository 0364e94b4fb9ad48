"""The link checker on the shapes of real MkDocs projects, with no false
findings: templates kept in the docs folder, a link broken on every page,
snippets, override templates, pages that plugins move or generate. Each test
writes the small project it needs (no network)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from runs import check, found, project, write

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
MATERIAL = "theme:\n  name: material\n  font: false\n"


def build(config, site):
    env = {**ENV, "PYTHONPATH": str(config.parent)}  # the project's own Markdown extensions, if any
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, env=env, capture_output=True, cwd=config.parent)  # as the checker runs it


@pytest.fixture(params=["build", "site-dir"])
def mode(request):
    return request.param


def check_in(mode: str, config, tmp_path) -> tuple[int, dict]:
    """Check by building (mode "build") or a build made by `mkdocs build` ("site-dir")."""
    if mode == "build":
        return check("-f", str(config))
    build(config, tmp_path / "built")
    return check("-f", str(config), "--site-dir", str(tmp_path / "built"))


# --- templates are not pages -------------------------------------------------------------

TEMPLATES = {
    "index.md": "# Home\n\n[Notes](notes.md)\n",
    "notes.md": "# Notes\n",
    # the theme's custom_dir kept under docs/: MkDocs copies it into the site
    "overrides/main.html": '{% extends "base.html" %}\n{% block footer %}\n'
                           '<a href="{{ config.extra.wiki }}">wiki</a>{{ super() }}\n{% endblock %}\n',
    # a partial the project's own hook fills in, copied into the site as it is
    "snippets/card.html": '<div class="card"><a href="{{ page.url }}">{{ page.title }}</a>'
                          '<img src="{{ image }}" alt=""></div>\n',
}


def test_templates_in_the_docs_folder_are_not_pages(tmp_path, mode):
    config = project(tmp_path, MATERIAL + "  custom_dir: docs/overrides\nextra:\n  wiki: https://wiki.example/\n",
                     TEMPLATES)
    code, report = check_in(mode, config, tmp_path)
    assert (code, report["findings"]) == (0, [])
    assert report["checked"]["pages"] == 2


def test_a_static_html_page_in_the_docs_folder_is_still_checked(tmp_path):
    config = project(tmp_path, "", {"index.md": "# Home\n\n[Demo](demo.html)\n",
                                    "demo.html": '<!doctype html><title>Demo</title><a href="gone/">gone</a>\n'})
    code, report = check("-f", str(config))
    assert [(f["kind"], f["target"]) for f in report["findings"]] == [("missing-page", "gone/")]
    assert code == 1


# --- one finding per broken target and place, with the number of pages ----------------------

OVERRIDE = """{% extends "base.html" %}
{% block content %}
  <p><a href="{{ base_url }}/about-us/">About us</a></p>
  {{ super() }}
  <p><a href="{{ base_url }}/about/">About</a></p>
{% endblock %}
"""
FOUR_PAGES = {"index.md": "# Home\n", "a.md": "# A\n", "b/index.md": "# B\n", "b/c.md": "# C\n",
              "about-us.md": "# About us\n"}


def test_a_theme_link_broken_on_every_page_is_one_finding_at_its_exact_line(tmp_path, mode):
    # Line 3 writes `about-us/`, which exists and holds the same letters; line 5 writes `about/`.
    write(tmp_path / "overrides" / "main.html", OVERRIDE)
    config = project(tmp_path, MATERIAL + "  custom_dir: overrides\n", FOUR_PAGES)
    code, report = check_in(mode, config, tmp_path)
    assert [(f["file"], f["line"], f["kind"], f["target"], f["pages"]) for f in report["findings"]] == [
        ("overrides/main.html", 5, "missing-page", "about/", 5)]
    assert "on 5 page(s): a.md, about-us.md, b/c.md and 2 more" in report["findings"][0]["message"]
    assert code == 1


def test_a_theme_link_no_template_writes_exactly_is_blamed_on_the_config(tmp_path):
    # The template builds the URL: no string in it is the link.
    write(tmp_path / "overrides" / "main.html", OVERRIDE.replace("{{ base_url }}/about/", "{{ base_url }}/{{ 'abo' ~ 'ut/' }}"))
    config = project(tmp_path, MATERIAL + "  custom_dir: overrides\n", FOUR_PAGES)
    code, report = check("-f", str(config))
    assert [(f["file"], f["line"], f["target"]) for f in report["findings"]] == [("mkdocs.yml", None, "about/")]


def test_a_link_from_a_snippet_is_one_finding_for_all_its_pages(tmp_path, mode):
    write(tmp_path / "snippets" / "footer.md", "See [the old guide](old-guide/).\n")
    pages = {name: f"# {name}\n\nText.\n\n--8<-- \"footer.md\"\n" for name in ("index.md", "a.md", "b.md")}
    config = project(tmp_path, "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [snippets]\n", pages)
    code, report = check_in(mode, config, tmp_path)
    assert [(f["file"], f["line"], f["target"], f["pages"]) for f in report["findings"]] == [
        ("snippets/footer.md", 1, "old-guide/", 3)]
    assert code == 1


def test_a_link_written_twice_on_a_page_is_a_finding_per_line(tmp_path):
    config = project(tmp_path, "", {"index.md": "# Home\n\n[a](gone.md) and [b](gone.md)\n\n[c](gone.md)\n"})
    code, report = check("-f", str(config))
    assert sorted(f["line"] for f in report["findings"]) == [3, 3, 5]


# --- pages that plugins move or generate ---------------------------------------------------

MOVING_HOOK = '''from mkdocs.structure.files import File

def on_files(files, config):
    moved = files.get_file_from_path("notes/old.md")
    moved.dest_uri = "archive/old/index.html"
    moved.url = "archive/old/"
    files.append(File.generated(config, "made/index.md", content="# Made\\n\\nSee [nothing](../nothing/).\\n"))
    return files
'''


def test_pages_that_plugins_move_or_generate_name_their_source(tmp_path, mode):
    write(tmp_path / "hooks" / "pages.py", MOVING_HOOK)
    config = project(tmp_path, "hooks: [hooks/pages.py]\nnav: [index.md, notes/old.md]\n", {
        "index.md": "# Home\n\n[What a hook made](made/index.md)\n",
        "notes/old.md": "# Old notes\n\nSee [the plan](../plan.md).\n",
    })
    code, report = check_in(mode, config, tmp_path)
    assert found(report) == {
        ("notes/old.md", 3, "missing-page", "../plan.md"),
        ("made/index.md", None, "missing-page", "../nothing/"),
    }
    generated = next(f for f in report["findings"] if f["file"] == "made/index.md")
    assert "the page that the `hooks/pages.py` plugin generates" in generated["message"]
    assert code == 1


# --- line numbers without rendering every page again -----------------------------------------

COUNTING_EXTENSION = '''from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
class Count(Preprocessor):
    def run(self, lines):
        print("rendered:", lines[0])
        return lines
class CountExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Count(md), "count", 1)
def makeExtension(**kwargs):
    return CountExtension(**kwargs)
'''


def test_lines_are_found_without_rendering_the_pages_again(tmp_path, capfd):
    """A link broken on every page: each finding is placed from the Markdown's
    text; only a page whose text is ambiguous (a look-alike in a comment) is
    rendered again."""
    write(tmp_path / "counting.py", COUNTING_EXTENSION)
    pages = {f"p{n}.md": f"# Page {n}\n\nSee [old](old-{n}.md) and `[old](old-{n}.md)`.\n" for n in range(6)}
    pages["p5.md"] += "\n<!-- [old](old-5.md) -->\n"
    pages["index.md"] = "# Home\n"
    config = project(tmp_path, "markdown_extensions: [counting]\n", pages)
    build(config, tmp_path / "built")
    sys.path.insert(0, str(tmp_path))
    try:
        capfd.readouterr()
        code, report = check("-f", str(config), "--site-dir", str(tmp_path / "built"))
    finally:
        sys.path.remove(str(tmp_path))
    assert {(f["file"], f["line"]) for f in report["findings"]} == {(f"p{n}.md", 3) for n in range(6)}
    rendered = {line for line in capfd.readouterr().err.splitlines() if line.startswith("rendered:")}
    assert rendered == {"rendered: # Page 5"}  # whose comment holds a look-alike
