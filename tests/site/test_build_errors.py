"""Bad input stops the build with a message that names the file and the problem."""

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
         "docs/component/thing.md:6: unknown front-matter key 'author' (allowed: title, description, tags, related)"),
        ("title: Thing\ndescription: A thing.\ntags: [data]",
         "docs/component/thing.md:1: missing front-matter key 'related'"),
        ("title: Thing\ndescription: A thing.\ntags: [nonsense]\nrelated: [thing]",
         "docs/component/thing.md:4: front-matter key 'tags' has unknown tag 'nonsense' (allowed: resilience, "
         "scalability, performance, distributed-systems, consensus, data, messaging, scheduling, operations, "
         "structure, case-study, python; TAGS in hooks/topics.py)"),
        ("title: Thing\ndescription: A thing.\ntags: [data]\nrelated: [ghost]",
         "docs/component/thing.md:5: front-matter key 'related' names 'ghost', which is not a written topic (written: thing)"),
        ("title: Thing\ndescription: " + "x" * 161 + "\ntags: [data]\nrelated: [thing]",
         "docs/component/thing.md:3: front-matter key 'description' has 161 characters"),
        ("title: Thing\ndescription: a: b: c\ntags: [data]\nrelated: [thing]",
         "docs/component/thing.md:3: front matter is not valid YAML"),
    ],
    ids=["unknown-key", "missing-key", "unknown-tag", "unknown-related", "long-description", "bad-yaml"],
)
def test_bad_front_matter_names_file_line_and_key(project, front, message):
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
    line = GOOD.count("\n") + 2  # the marker's line, after the page and a blank line
    assert (f"docs/component/thing.md:{line}: unknown or misplaced marker '<!-- topics:everything -->' "
            "(known: list, sections, map, glossary)") in log


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
NEW_PAGE = """---
title: New
---

# New

```mermaid
flowchart LR
  Never --> DrawnBefore
```

Some text.

```mermaid
sequenceDiagram
  Alice->>Bob: hi
  Bob-->>: missing target
  Bob->>Alice: bye
```
"""


@pytest.fixture
def diagram_project(tmp_path):
    """A site with one page holding a new diagram (line 7) and a broken one (line 14),
    and the vendored mermaid, which the strict build parses them with."""
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "docs" / "assets" / "javascripts" / "mermaid").symlink_to(ROOT / "docs" / "assets" / "javascripts" / "mermaid")
    (tmp_path / "mkdocs.yml").write_text(DIAGRAM_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "docs" / "guide" / "new.md").write_text(NEW_PAGE)
    return tmp_path


def test_undrawn_and_broken_diagrams_fail_the_strict_build_at_their_lines(diagram_project):
    """hooks/diagrams.py: a new diagram has no SVG in diagrams/ until `make diagrams`; the
    strict build parses it with the vendored mermaid, so a syntax error is named as one."""
    code, out = build(diagram_project)
    assert code == 1
    assert ("docs/guide/new.md:7: diagram 1 of /guide/new/ is not drawn yet, so readers' browsers would have "
            "to draw it: run `make diagrams`") in out
    # mermaid's "line 3" of the fence on line 14 is line 17 of the file
    assert "docs/guide/new.md:17: diagram 2 of /guide/new/ does not parse: Parse error on line 3:" in out
    assert "docs/guide/new.md:14" not in out
    assert "Aborted with 2 warnings in strict mode" in out
    assert "not pre-rendered" not in out


def test_a_page_with_undrawn_diagrams_still_builds_for_make_serve(diagram_project):
    """Not strict (make serve): each is left for the browser to draw, under a note naming
    its file and line (assets/javascripts/diagram-live.mjs shows a syntax error there)."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict"], cwd=diagram_project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "docs/guide/new.md:14: diagram 2 of /guide/new/ is not drawn yet" in done.stderr  # not parsed here
    html = (diagram_project / "site" / "guide" / "new" / "index.html").read_text()
    assert '<div class="mermaid" data-diagram="' in html
    assert 'data-diagram-at="docs/guide/new.md:7" data-diagram-first-line="8">' in html
    assert 'data-diagram-at="docs/guide/new.md:14" data-diagram-first-line="15">' in html
    assert html.count('<p class="admonition-title">Diagram not drawn yet</p>') == 2
    assert "<code>docs/guide/new.md:7</code>" in html
    assert 'aria-label="Copy source of diagram 2"' in html


def test_a_raw_tag_in_a_diagram_fails_the_build_at_its_line(diagram_project):
    """A fence that does not escape its source hands `<<interface>>` to the browser as a tag."""
    (diagram_project / "rawfence.py").write_text(
        "def fence(source, language, css_class, options, md, **kwargs):\n"
        "    return f'<div class=\"mermaid\">{source}</div>'\n")
    config = DIAGRAM_CONFIG.replace("pymdownx.superfences.fence_div_format", "rawfence.fence")
    (diagram_project / "mkdocs.yml").write_text(config)
    (diagram_project / "docs" / "guide" / "new.md").write_text(
        "# New\n\n```mermaid\nclassDiagram\n  class Port\n  <<interface>> Port\n```\n")
    code, out = build(diagram_project)
    assert code == 1
    assert "docs/guide/new.md:3: diagram 1 of /guide/new/ holds a raw HTML tag <interface>" in out


LINKS_CONFIG = f"""
site_name: Fixture
docs_dir: docs
hooks:
  - {ROOT / 'hooks' / 'diagram_links.py'}
"""
LINKS_PAGE = """# Start

```mermaid
flowchart TB
  A[Other] --> B[Gone] --> C[Old style]
  click A href "guide/other.md#terms"
  click B href "guide/gone.md#terms"
  click C href "../guide/other/#terms"
  click A href "https://example.org/#x"
```
"""


def test_diagram_links_are_docs_paths_resolved_per_edition_and_a_wrong_one_fails_the_build_at_its_line(tmp_path):
    """hooks/diagram_links.py: a `click` link names a page's Markdown file, relative to
    the page, and reaches each edition as that edition's URL of the page."""
    (tmp_path / "docs" / "guide").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(LINKS_CONFIG)
    (tmp_path / "docs" / "start.md").write_text(LINKS_PAGE)
    (tmp_path / "docs" / "guide" / "other.md").write_text("# Other\n\n## Terms { #terms }\n")
    code, out = build(tmp_path)
    assert code == 1
    assert "docs/start.md:7: diagram link `guide/gone.md#terms` names no page of the site" in out
    assert "docs/start.md:8: diagram link `../guide/other/#terms` is a page's URL" in out
    assert "docs/start.md:6" not in out and "example.org" not in out
    for directory_urls, resolved in ((True, "../guide/other/#terms"), (False, "guide/other.html#terms")):
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "--use-directory-urls"
                               if directory_urls else "--no-directory-urls"], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        page = tmp_path / "site" / ("start/index.html" if directory_urls else "start.html")
        assert f'click A href &quot;{resolved}&quot;' in page.read_text(), resolved
