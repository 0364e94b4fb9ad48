"""axe-core (pinned in package.json) finds no violation on any page, on a desktop
and on phones, in light and dark schemes; and no page is wider than a phone's
screen. Fixes live in overrides/, site.css and a11y.mjs; no rule is disabled.

A phone here is a phone: a mobile viewport with touch (Playwright's is_mobile and
has_touch), not a narrow desktop window. Material behaves differently there: it
makes wide code blocks focusable only on a device that can hover (a11y.mjs)."""


import pytest
from conftest import PRINT, ROOT, draw_all_diagrams, serving

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"is_mobile": True, "has_touch": True}
SCREENS = {
    "desktop-1280x900": {"viewport": {"width": 1280, "height": 900}},
    "phone-360x800": {"viewport": {"width": 360, "height": 800}, **PHONE},
    "phone-390x844": {"viewport": {"width": 390, "height": 844}, **PHONE},
}
PHONES = {
    "360x800": {"viewport": {"width": 360, "height": 800}, **PHONE},
    "390x844": {"viewport": {"width": 390, "height": 844}, **PHONE},
    "412x915": {"viewport": {"width": 412, "height": 915}, **PHONE},
}
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
  `${v.id} (${v.impact}): ${v.nodes.length} node(s), e.g. ${v.nodes[0].target.join(' ')}: ` +
  (v.nodes[0].failureSummary || '').split('\\n').slice(1, 2).join(' ').trim())"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing; run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS)
def test_no_axe_violations(root_site, browser, axe_source, screen, scheme):
    site = root_site
    context = browser.new_context(color_scheme=scheme, **SCREENS[screen])
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
    assert not problems, f"{screen}, {scheme}:\n" + "\n".join(problems)


@pytest.mark.parametrize("phone", PHONES)
def test_no_page_is_wider_than_a_phone_screen(root_site, browser, phone):
    """Tables and code blocks scroll inside their own boxes; the page never scrolls
    sideways. (On a phone, innerWidth grows to the page's width when the page
    overflows, so the page is measured against the screen's width.)"""
    width = PHONES[phone]["viewport"]["width"]
    context = browser.new_context(**PHONES[phone])
    wider = []
    try:
        page = context.new_page()
        for url in root_site.pages:
            page.goto(root_site.base + url, wait_until="load")
            page.wait_for_function("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")
            page_width = page.evaluate("document.documentElement.scrollWidth")
            if page_width > width:
                wider.append(f"{url or '/'}: {page_width} px wide")
    finally:
        context.close()
    assert not wider, f"pages wider than a {phone} screen:\n" + "\n".join(wider)


def test_pdf_edition_document_has_no_axe_violations(pdf_edition, browser, axe_source):
    """The document the PDF is printed from (and the offline edition's print.html)
    repeats every page; one scheme and width is enough for its own structure."""
    context = browser.new_context(**SCREENS["desktop-1280x900"])
    try:
        page = context.new_page()
        with serving(pdf_edition, 0) as base:
            page.goto(base + PRINT, wait_until="load")
            page.evaluate(axe_source)
            problems = page.evaluate(RUN_AXE)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
