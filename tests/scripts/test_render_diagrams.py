"""scripts/render_diagrams.py: diagrams drawn in Chromium, in both schemes, cleaned for HTML."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from render_diagrams import Diagram, clean, draw, site_diagrams  # noqa: E402

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
    (tmp_path / "assets" / "javascripts" / "diagrams.mjs").symlink_to(JS / "diagrams.mjs")
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    # Material's document$ observable, which the loader subscribes to.
    (tmp_path / "404.html").write_text(
        "<!doctype html><title>t</title><script>window.document$ = {subscribe() {}};</script>"
        '<div class="md-content"><article class="md-typeset"></article></div>')
    return tmp_path


def test_draws_both_schemes_and_reports_a_broken_diagram(drawing_site):
    good = Diagram("k1", "flowchart LR\n  A[Start] --> B[End]", "guide/", 1)
    bad = Diagram("k2", "flowchart LR\n  A[Start] --> B{oops", "guide/", 2)
    drawings = draw(drawing_site, [good, bad])
    light, dark = drawings["k1"]["light"], drawings["k1"]["dark"]
    assert light.startswith('<svg id="dia-k1"') and "diagram__light" in light and ">Start<" in light
    assert dark.startswith('<svg id="dia-k1-dark"') and "diagram__dark" in dark
    # the site's palette (PALETTE in diagrams.mjs): each scheme's node fill, only there
    assert "#2c3354" in dark and "#2c3354" not in light
    assert "#e8eaf6" in light and "#e8eaf6" not in dark
    assert "Parse error" in drawings["k2"]["error"]


def test_a_drawing_is_one_line_even_when_mermaid_writes_several(drawing_site):
    """diagrams/KEY.svg is the light SVG's line, then the dark one's: a
    horizontal cylinder (the site's shape for a queue) has multi-line path data."""
    queue = Diagram("k3", 'flowchart LR\n  A[Producer] --> Q@{ shape: h-cyl, label: "jobs" }', "guide/", 1)
    drawing = draw(drawing_site, [queue])["k3"]
    for scheme in ("light", "dark"):
        assert "\n" not in drawing[scheme] and ">jobs<" in drawing[scheme], scheme


def test_finds_diagrams_to_draw_and_those_drawn(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<div class="diagram" data-diagram="aa11"><svg></svg></div>'
        '<div class="mermaid" data-diagram="bb22">flowchart LR\n  A --&gt; B</div>'
        # as the mermaid2 plugin writes a page it adds its scripts to: attributes in alphabetical order
        '<div aria-label="Pool" class="diagram" data-diagram="cc33" role="region"><svg></svg></div>')
    undrawn, drawn = site_diagrams(tmp_path)
    assert drawn == {"aa11", "cc33"}
    assert undrawn == {"bb22": Diagram("bb22", "flowchart LR\n  A --> B", "a/", 1)}
