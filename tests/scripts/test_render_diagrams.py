"""scripts/render_diagrams.py: diagrams drawn in Chromium, in both schemes, cleaned for HTML;
a run over every edition converges, and a run that fails deletes nothing."""

import subprocess
import sys
from pathlib import Path

import pytest

import render_diagrams
from archnotes.diagram_data import Diagram, drawing_keys, write_manifest
from render_diagrams import clean, draw, read_editions

ROOT = Path(__file__).resolve().parents[2]

JS = ROOT / "docs" / "assets" / "javascripts"


def test_ids_get_the_diagram_prefix_and_references_follow():
    svg = ('<svg id="dia-1" class="x" aria-labelledby="t1"><title id="t1">T</title>'
           '<g id="actor0"><path marker-end="url(#arrow)"/><use href="#actor0"/></g>'
           '<marker id="arrow"/><g id="dia-1-kept"/></svg>')
    out = clean(svg, "dia-1", "light")
    assert 'id="dia-1-actor0"' in out and 'href="#dia-1-actor0"' in out
    assert 'id="dia-1-arrow"' in out and "url(#dia-1-arrow)" in out
    assert 'aria-labelledby="dia-1-t1"' in out and 'id="dia-1-t1"' in out
    assert 'id="dia-1-kept"' in out and "dia-1-dia-1" not in out
    assert out.startswith('<svg id="dia-1" class="diagram__light x"')


def test_the_scheme_class_goes_on_the_root_even_without_a_class():
    """Sequence diagrams' root <svg> has no class attribute; its children do."""
    out = clean('<svg id="dia-3" width="100%"><rect class="actor"/></svg>', "dia-3", "dark")
    assert out.startswith('<svg id="dia-3" width="100%" class="diagram__dark">')
    assert '<rect class="actor"/>' in out


def test_labels_become_valid_html_and_numbers_shrink():
    svg = ('<svg id="dia-2" class="flowchart"><style>#dia-2 p{margin:0;}#dia-2 .edgeLabel p{color:red;}'
           '#dia-2 div.mermaidTooltip{position:absolute;}#dia-2 :root{--x:1;}@keyframes dash{to{x:0;}}'
           '#dia-2 [data-look="neo"].node rect,#dia-2 .cluster rect{stroke:url(#dia-2-gradient);}'
           '#dia-2 [data-look="neo"].node path{stroke:url(#dia-2-gradient);}</style>'
           '<defs><filter id="dia-2-unused"><feDropShadow/></filter></defs>'
           '<linearGradient id="dia-2-gradient"><stop/></linearGradient>'
           '<g class="node" title="Go there"><path d="M1.23456,7.891011" viewBox="0 0 1 1" data-points="abc"/>'
           '<rect name="A"/><circle r="7" width="14" height="14"/>'
           '<foreignObject><div><span class="nodeLabel"><p>Label 1.23456</p></span></div></foreignObject></g></svg>')
    out = clean(svg, "dia-2", "dark")
    assert "<p>" not in out and '<span class="p">Label 1.23456</span>' in out  # text keeps its digits
    assert "#dia-2 span.p{margin:0;}" in out and "#dia-2 .edgeLabel span.p{color:red;}" in out
    assert "#dia-2 span.p{display:block;}" in out
    assert '<g class="node"><title>Go there</title>' in out
    assert 'd="M1.2,7.9"' in out
    for gone in ("viewBox", "data-points", "name=", "width=", "height=", "mermaid"):
        assert gone not in out, gone
    assert 'class="diagram__dark flowchart"' in out
    # The neo look's rules go, one selector at a time; what nothing refers to goes too.
    assert "neo" not in out and "#dia-2 .cluster rect{stroke:url(#dia-2-gradient);}" in out
    assert '<linearGradient id="dia-2-gradient">' in out and "dia-2-unused" not in out
    assert "@keyframes dash{to{x:0;}}" in out


@pytest.fixture
def drawing_site(tmp_path):
    """The least a site needs to draw in: a page, the vendored mermaid and the site's loader."""
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "mermaid").symlink_to(JS / "mermaid")
    (tmp_path / "assets" / "javascripts" / "diagram-live.mjs").symlink_to(JS / "diagram-live.mjs")
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    # Material's document$ observable, which the loader subscribes to.
    (tmp_path / "404.html").write_text(
        "<!doctype html><title>t</title><script>window.document$ = {subscribe() {}};</script>"
        '<div class="md-content"><article class="md-typeset"></article></div>')
    return tmp_path


def diagram(key, source, page="guide/", number=1, drawn=False):
    return Diagram(key, f"docs/{page.rstrip('/')}.md", 5 * number, number, page, "web", drawn, source, first_line=5 * number + 1)


def test_draws_both_schemes_and_reports_a_broken_diagram(drawing_site):
    good = diagram("k1", "flowchart LR\n  A[Start] --> B[End]")
    bad = diagram("k2", "flowchart LR\n  A[Start] --> B{oops", number=2)
    drawings = draw(drawing_site, [good, bad])
    light, dark = drawings["k1"]["light"], drawings["k1"]["dark"]
    assert light.startswith('<svg id="dia-k1"') and "diagram__light" in light and ">Start<" in light
    assert dark.startswith('<svg id="dia-k1-dark"') and "diagram__dark" in dark
    # the site's palette (PALETTE in diagram-live.mjs): each scheme's node fill, only there
    assert "#2c3354" in dark and "#2c3354" not in light
    assert "#e8eaf6" in light and "#e8eaf6" not in dark
    assert "Parse error" in drawings["k2"]["error"]


def test_a_path_with_line_breaks_stays_on_one_line():
    """mermaid writes the h-cyl shape's path over several lines; diagrams/KEY.svg is one drawing per line."""
    svg = '<svg id="dia-4"><path d="M0,0\n    a4.71234,14.5 0,0,1 0,-29\n    l105.8,0"/></svg>'
    out = clean(svg, "dia-4", "light")
    assert "\n" not in out and 'd="M0,0 a4.7,14.5 0,0,1 0,-29 l105.8,0"' in out


def test_a_shape_drawn_over_several_lines_is_kept_on_one(drawing_site):
    """The h-cyl shape (a queue) comes with a path over several lines; diagrams/KEY.svg is one drawing per line."""
    queue = diagram("k3", 'flowchart TB\n  Q@{ shape: h-cyl, label: "jobs" }')
    drawings = draw(drawing_site, [queue])
    assert "\n" not in drawings["k3"]["light"] and "\n" not in drawings["k3"]["dark"]
    assert ">jobs<" in drawings["k3"]["light"]


def test_every_editions_diagrams_are_read_from_their_manifests(tmp_path):
    """Whatever the HTML looks like: a key any edition uses is in use; the first record of one to draw names it."""
    web, pdf = tmp_path / "web", tmp_path / "pdf"
    web.mkdir(), pdf.mkdir()
    write_manifest(web, "web", [diagram("aa11", "flowchart LR\n  A", drawn=True), diagram("bb22", "flowchart LR\n  B", number=2)])
    write_manifest(pdf, "pdf", [diagram("cc33", "flowchart LR\n  C", page="print/", drawn=True),
                                diagram("bb22", "flowchart LR\n  B", page="print/", number=2)])
    found = read_editions([web, pdf])
    assert found.used == {"aa11", "bb22", "cc33"}
    assert list(found.to_draw) == ["bb22"] and found.to_draw["bb22"].page == "guide/"
    assert set(read_editions([web, pdf], redraw=True).to_draw) == {"aa11", "bb22", "cc33"}


def test_an_untouched_checkout_has_every_drawing_its_editions_use_and_no_other():
    """`make diagrams` on a fresh clone draws 0 and deletes 0: it reads the web, offline and
    PDF editions (the PDF's document has diagrams of its own: links made into anchors)."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_diagrams.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 diagrams would be drawn" in done.stdout and "0 unused drawings would be deleted, 0 failed" in done.stdout


# --- a project of its own: every case of a run, with real builds and a real Chromium ---------

FIXTURE_CONFIG = f"""
site_name: Fixture
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  # as in mkdocs.yml: it re-writes pages with a diagram to draw, attributes sorted
  - mermaid2:
      javascript: assets/javascripts/mermaid/mermaid.esm.min.mjs
hooks:
  - {ROOT / 'hooks' / 'diagrams.py'}
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_div_format
"""
FIRST = "```mermaid\nflowchart LR\n  First --> Diagram\n```\n"
SECOND = "```mermaid\nflowchart LR\n  Second --> Diagram\n```\n"
BROKEN = "```mermaid\nsequenceDiagram\n  Alice->>Bob: hi\n  Bob-->>: missing target\n```\n"


@pytest.fixture
def project(tmp_path):
    """A site with the diagrams hook; a second edition (other.yml) whose pages have a diagram of their own."""
    js = tmp_path / "docs" / "assets" / "javascripts"
    js.mkdir(parents=True)
    (js / "mermaid").symlink_to(JS / "mermaid")
    (js / "diagram-live.mjs").symlink_to(JS / "diagram-live.mjs")
    (tmp_path / "mkdocs.yml").write_text(FIXTURE_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n" + FIRST)
    other = tmp_path / "other"
    other.mkdir()
    (other / "assets").symlink_to(tmp_path / "docs" / "assets")
    (other / "index.md").write_text("# Other\n\n```mermaid\nflowchart LR\n  Other --> Edition\n```\n")
    (tmp_path / "other.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: other\nextra:\n  edition: other\n")
    return tmp_path


def render(project, *configs, prune=True):
    configs = [project / c for c in (configs or ("mkdocs.yml", "other.yml"))]
    return render_diagrams.run(configs, project / "diagrams", prune=prune)


def test_a_run_draws_what_is_new_keeps_what_is_drawn_and_then_converges(project):
    first = render(project)
    assert (first.drawn, first.deleted, first.failures) == (2, [], [])
    drawn = drawing_keys(project / "diagrams")
    (project / "diagrams" / "0000000000000000.svg").write_text("<svg/>\n<svg/>\n")  # no page uses it
    # A page with a drawn diagram and a new one: mermaid2 rewrites it (attributes sorted);
    # the drawn one is still known by its key.
    (project / "docs" / "index.md").write_text("# Home\n\n" + FIRST + "\n" + SECOND)
    second = render(project)
    assert (second.drawn, second.already, second.failures) == (1, 2, [])
    assert second.deleted == ["0000000000000000"]
    assert drawn < drawing_keys(project / "diagrams") and len(drawing_keys(project / "diagrams")) == 3
    third = render(project)
    assert (third.drawn, third.deleted, third.failures) == (0, [], [])


def test_a_run_that_fails_deletes_nothing_and_names_the_line(project):
    render(project)
    before = drawing_keys(project / "diagrams")
    (project / "docs" / "index.md").write_text("# Home\n\n" + SECOND + "\n" + BROKEN)  # FIRST no longer used
    outcome = render(project)
    # mermaid's "line 3" of the fence on line 8 is line 11 of docs/index.md
    assert len(outcome.failures) == 1
    assert outcome.failures[0].startswith("docs/index.md:11: diagram 2 of / does not parse: Parse error on line 3")
    assert outcome.drawn == 1 and outcome.deleted == []
    assert before < drawing_keys(project / "diagrams")  # the unused FIRST is kept: the run failed


def test_a_build_that_fails_changes_nothing(project):
    render(project)
    before = drawing_keys(project / "diagrams")
    (project / "other.yml").write_text("INHERIT: mkdocs.yml\ndocs_dir: nowhere\n")
    outcome = render(project)
    assert outcome.failures and outcome.failures[0].startswith("other.yml: the build failed")
    assert (outcome.drawn, outcome.deleted) == (0, []) and drawing_keys(project / "diagrams") == before


def test_only_a_run_over_every_edition_deletes(project):
    """The other edition's drawing is unused by mkdocs.yml alone: a run of that one config keeps it."""
    render(project)
    alone = render(project, "mkdocs.yml", prune=False)
    assert alone.deleted == [] and len(drawing_keys(project / "diagrams")) == 2
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "render_diagrams.py"), "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, cwd=project)
    assert done.returncode == 0, done.stderr
    assert "0 diagrams drawn, 1 already drawn, 0 unused drawings deleted, 0 failed" in done.stdout
    assert len(drawing_keys(project / "diagrams")) == 2
