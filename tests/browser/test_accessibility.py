"""axe-core (pinned in package.json) finds no violation on any page, at desktop and
phone widths, in light and dark schemes. Fixes live in overrides/ and site.css;
no rule is disabled."""

from pathlib import Path

import pytest

from conftest import PRINT, ROOT, draw_all_diagrams, serving

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
  `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0].target.join(' ')}: ` +
  (v.nodes[0].failureSummary || '').split('\\n').slice(1, 2).join(' ').trim())"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing; run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_axe_violations(root_site, browser, axe_source, viewport, scheme):
    site = root_site
    context = browser.new_context(color_scheme=scheme, viewport=VIEWPORTS[viewport])
    problems = []
    try:
        page = context.new_page()
        for url in site.pages:
            page.goto(site.base + url, wait_until="load")
            draw_all_diagrams(page)  # diagram text is checked for contrast too
            page.evaluate(axe_source)
            problems += [f"{url or '/'}: {v}" for v in page.evaluate(RUN_AXE)]
    finally:
        context.close()
    assert not problems, f"{viewport}, {scheme}:\n" + "\n".join(problems)


def test_pdf_edition_document_has_no_axe_violations(pdf_edition, browser, axe_source):
    """The document the PDF is printed from (and the offline edition's print.html)
    repeats every page; one scheme and width is enough for its own structure."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    try:
        page = context.new_page()
        with serving(pdf_edition, 0) as base:
            page.goto(base + PRINT, wait_until="load")
            page.evaluate(axe_source)
            problems = page.evaluate(RUN_AXE)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
