"""Bad input stops the build with a message that names the file and the problem."""

import shutil
import subprocess
import sys
import textwrap

import pytest

from pages import ROOT

CONFIG = f"""
site_name: Fixture
strict: true
docs_dir: docs
nav:
  - index.md
  - component/index.md
  - component/thing.md
hooks:
  - {ROOT / 'hooks' / 'topics.py'}
markdown_extensions:
  - attr_list
  - pymdownx.snippets:
      base_path: [docs]
      check_paths: true
"""
GOOD = """---
title: Thing
description: A thing.
tags: [data]
related: [thing]
---

# Thing

A thing.

## Related topics { #related-topics }

- [Thing](thing.md): itself.
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "docs" / "component").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "index.md").write_text("---\ntitle: Home\ndescription: Home.\n---\n# Home\n")
    (tmp_path / "docs" / "component" / "index.md").write_text(
        "---\ntitle: Component\ndescription: Parts.\n---\n# Component\n\n<!-- topics:list -->\n"
    )
    (tmp_path / "docs" / "component" / "thing.md").write_text(GOOD)
    return tmp_path


def build(project):
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True
    )
    return done.returncode, done.stdout + done.stderr


def write_page(project, text):
    (project / "docs" / "component" / "thing.md").write_text(textwrap.dedent(text))


def test_fixture_builds(project):
    code, log = build(project)
    assert code == 0, log
    assert 'href="thing/"' in (project / "site" / "component" / "index.html").read_text()


@pytest.mark.parametrize(
    "front, message",
    [
        ("title: Thing\ndescription: A thing.\ntags: [data]\nrelated: [thing]\nauthor: me",
         "component/thing.md: unknown front-matter key 'author'"),
        ("title: Thing\ndescription: A thing.\ntags: [data]",
         "component/thing.md: missing front-matter key 'related'"),
        ("title: Thing\ndescription: A thing.\ntags: [nonsense]\nrelated: [thing]",
         "component/thing.md: front-matter key 'tags' has unknown tag 'nonsense'"),
        ("title: Thing\ndescription: A thing.\ntags: [data]\nrelated: [ghost]",
         "component/thing.md: front-matter key 'related' names 'ghost'"),
        ("title: Thing\ndescription: " + "x" * 161 + "\ntags: [data]\nrelated: [thing]",
         "component/thing.md: front-matter key 'description' has 161 characters"),
        ("title: Thing\ndescription: a: b: c\ntags: [data]\nrelated: [thing]",
         "component/thing.md: front matter is not valid YAML"),
    ],
    ids=["unknown-key", "missing-key", "unknown-tag", "unknown-related", "long-description", "bad-yaml"],
)
def test_bad_front_matter_names_file_and_key(project, front, message):
    write_page(project, f"---\n{front}\n---\n\n# Thing\n")
    code, log = build(project)
    assert code != 0
    assert message in log


def test_missing_snippet_file_fails_the_build(project):
    write_page(project, GOOD + '\n```python\n--8<-- "examples/thing/missing.py"\n```\n')
    code, log = build(project)
    assert code != 0
    assert "missing.py" in log


def test_unknown_marker_fails_the_build(project):
    write_page(project, GOOD + "\n<!-- topics:everything -->\n")
    code, log = build(project)
    assert code != 0
    assert "component/thing.md: unknown or misplaced marker '<!-- topics:everything -->'" in log


def test_topic_page_without_a_related_topics_heading_fails_the_build(project):
    """hooks/topics.py puts the page's neighbours map under that heading."""
    write_page(project, GOOD.replace("## Related topics { #related-topics }", "## See also"))
    code, log = build(project)
    assert code != 0
    assert "component/thing.md: no '## Related topics { #related-topics }' heading" in log


DIAGRAM_CONFIG = f"""
site_name: Fixture
strict: true
docs_dir: docs
hooks:
  - {ROOT / 'hooks' / 'diagrams.py'}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_div_format
"""


def test_a_diagram_not_drawn_yet_fails_the_strict_build_and_names_its_page(tmp_path):
    """hooks/diagrams.py: a new diagram has no SVG in diagrams/ until `make diagrams`."""
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(DIAGRAM_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "guide" / "new.md").write_text(
        "# New\n\n```mermaid\nflowchart LR\n  Never --> DrawnBefore\n```\n")
    code, out = build(tmp_path)
    assert code == 1
    assert "1 diagrams are not pre-rendered" in out
    assert "guide/new/ (1)" in out
    assert "make diagrams" in out
    # The page still works while it is written: its diagram is left for the browser to draw.
    (tmp_path / "mkdocs.yml").write_text(DIAGRAM_CONFIG.replace("strict: true", "strict: false"))
    code = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, capture_output=True).returncode
    html = (tmp_path / "site" / "guide" / "new" / "index.html").read_text()
    assert code == 0
    assert '<div class="mermaid" data-diagram="' in html
    assert 'aria-label="Copy source of diagram 1"' in html
