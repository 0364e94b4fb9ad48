"""Citations a reader can follow (CONTRIBUTING.md, "Citations"; hooks/citations.py).

On a desktop, hovering over a citation shows its entry as its tooltip (its
title, set on first hover or focus by assets/javascripts/a11y.mjs); on every
screen, a citation jumps to its entry under References and
the entry's back link returns to that citation.
"""

from __future__ import annotations

import pytest
from conftest import block_other_hosts

PAGE = "component/raft/"
SCREENS = {"phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
           "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.fixture(params=list(SCREENS))
def page(request, browser, root_site):
    context = browser.new_context(**SCREENS[request.param])
    blocked = block_other_hosts(context, root_site.base)
    page = context.new_page()
    page.goto(root_site.base + PAGE)
    page.screen = request.param
    yield page
    assert blocked == []
    context.close()


def fragment(link) -> str:
    """The "#..." of a link (Material's instant navigation makes in-page hrefs absolute)."""
    return "#" + link.get_attribute("href").split("#", 1)[1]


def test_a_citation_leads_to_its_entry_and_back(page):
    citation = page.locator("sup[id^='fnref'] a.footnote-ref").nth(3)
    target = fragment(citation)  # "#fn:1"
    cited_from = citation.locator("xpath=..").get_attribute("id")
    if page.screen == "phone":
        citation.tap()
    else:
        citation.click()
    page.wait_for_function(f"location.hash === {target!r}")
    entry = page.locator(f"li[id='{target[1:]}']")
    assert entry.is_visible() and "References" in page.locator("h2#references").inner_text()
    back = entry.locator(f"a.footnote-backref[href$='#{cited_from}']")
    back.click()
    page.wait_for_function(f"location.hash === '#{cited_from}'")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_hovering_a_citation_shows_its_entry(page):
    if page.screen == "phone":
        pytest.skip("no hover on a touch screen: a tap jumps to the entry")
    citation = page.locator("a.footnote-ref").first
    entry = page.locator(f"li[id='{fragment(citation)[1:]}'] > p").inner_text()
    assert citation.get_attribute("title") is None  # nothing is done before a reader points at one
    citation.hover()
    assert citation.get_attribute("title") == entry.split("\xa0")[0]  # the entry without its back links
    keyboard = page.locator("a.footnote-ref").nth(1)
    keyboard.focus()
    assert keyboard.get_attribute("title").startswith(page.locator(
        f"li[id='{fragment(keyboard)[1:]}'] > p").inner_text().split(".")[0])


def test_an_entry_cited_several_times_names_each_back_link(page):
    links = page.locator("li[id='fn:1'] a.footnote-backref")
    assert links.count() > 1
    assert [links.nth(i).get_attribute("aria-label") for i in range(2)] == [
        "Back to citation 1a in the text", "Back to citation 1b in the text"]
