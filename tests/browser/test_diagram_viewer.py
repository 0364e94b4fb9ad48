"""Reading diagrams on a phone (assets/javascripts/diagrams.mjs, site.css), in a real
phone context: 390x844, mobile viewport, touch; gestures are touch events sent to
Chromium over CDP (Input.dispatchTouchEvent), as a touch screen sends them.

- A diagram wider than its column shows a cue (its edge fades, a hint under it);
  one that fits does not; diagrams far from the screen are not measured at load.
- "Open larger" shows the diagram on the whole screen, where it pans and zooms by
  touch (drag, pinch) and by keyboard (arrows, + and -, 0); Escape and Back close
  it, focus returns to the button, and the history keeps no entry for it.
- Links in a diagram (inline SVG) work in the large view.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, block_other_hosts

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TOPIC = "component/circuit-breaker/"
HOME = ""  # its topic map is an inline SVG with links
OPENER = "Open larger view of diagram {}"
VIEWER = "dialog.diagram-viewer"
# The drawing's transform in the large view: its scale and where its top left corner is.
VIEW = """() => {
  const d = document.querySelector('dialog.diagram-viewer[open] .diagram-viewer__drawing');
  if (!d) return null;
  const m = new DOMMatrix(getComputedStyle(d).transform);
  return {scale: m.a, x: m.e, y: m.f};
}"""
PAGE_WIDTH = "[document.documentElement.scrollWidth, scrollX]"
ENTRY = "navigation.currentEntry.index"  # where the page is in the session history
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
  (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""


@pytest.fixture
def phone(browser, root_site):
    """phone(color_scheme="light") -> a page in a fresh phone context; page errors are collected in page.errors."""
    contexts = []

    def make(color_scheme: str = "light"):
        context = browser.new_context(color_scheme=color_scheme, **PHONE)
        contexts.append(context)
        blocked = block_other_hosts(context, root_site.base)
        page = context.new_page()
        page.errors = blocked
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


def touch(page, kind: str, *points: tuple[float, float]) -> None:
    """One touch event, through the browser's input pipeline: touchStart, touchMove or touchEnd."""
    cdp = page.context.new_cdp_session(page) if not hasattr(page, "cdp") else page.cdp
    page.cdp = cdp
    cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})


def gesture(page, start: list[tuple[float, float]], end: list[tuple[float, float]], steps: int = 8) -> None:
    """Fingers down at `start`, moved in steps to `end`, lifted."""
    touch(page, "touchStart", *start)
    for k in range(1, steps + 1):
        touch(page, "touchMove", *[(a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps)
                                   for a, b in zip(start, end)])
    touch(page, "touchEnd")


def open_larger(page, number: int):
    page.get_by_role("button", name=OPENER.format(number)).tap()
    dialog = page.locator(f"{VIEWER}[open]")
    dialog.wait_for()
    page.wait_for_function(f"({VIEW})() !== null")
    return dialog


# --- the cue ---------------------------------------------------------------------

CUE = """(el) => ({
  wide: el.scrollWidth > el.clientWidth + 1,
  marked: el.classList.contains('diagram--wide'),
  start: el.classList.contains('diagram--more-start'), end: el.classList.contains('diagram--more-end'),
  mask: getComputedStyle(el).maskImage,
  hint: getComputedStyle(el.nextElementSibling, '::before').content,
})"""
# Makes a diagram's canvas wider or narrower than the column, whatever its drawing:
# the cue must follow the layout, not the content of the day.
SET_WIDTH = "(el, px) => el.style.setProperty('--diagram-width', px + 'px')"


def settle(page) -> None:
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_diagram_wider_than_the_column_shows_a_cue_and_one_that_fits_does_not(root_site, phone, scheme):
    page = phone(scheme)
    page.goto(root_site.base + TOPIC, wait_until="load")
    diagrams = page.locator("div.diagram")
    count = diagrams.count()
    assert count >= 3
    wide, narrow = diagrams.nth(count - 1), diagrams.nth(count - 2)  # far below the first screen
    wide.evaluate(SET_WIDTH, 3000)
    narrow.evaluate(SET_WIDTH, 200)
    settle(page)
    # Nothing far from the screen is measured at load: the page reads no diagram's layout for the cue.
    far = wide.evaluate(CUE)
    assert far["wide"] and not far["marked"], far

    wide.scroll_into_view_if_needed()
    page.wait_for_function("(el) => el.classList.contains('diagram--wide')", arg=wide.element_handle())
    cue = wide.evaluate(CUE)
    assert cue["end"] and not cue["start"] and cue["mask"] != "none", cue  # the right edge fades
    assert cue["hint"].strip('"').startswith("Scroll sideways or open larger"), cue
    wide.evaluate("(el) => el.scrollLeft = el.scrollWidth")  # the reader scrolls to its end
    page.wait_for_function("(el) => el.classList.contains('diagram--more-start')", arg=wide.element_handle())
    cue = wide.evaluate(CUE)
    assert cue["start"] and not cue["end"] and cue["mask"] != "none", cue  # now the left edge fades

    narrow.scroll_into_view_if_needed()
    settle(page)
    cue = narrow.evaluate(CUE)
    assert not cue["wide"] and not cue["marked"] and cue["mask"] == "none" and cue["hint"] in ("none", "normal"), cue

    # Every diagram near the screen: a cue exactly when it scrolls sideways.
    for i in range(count):
        diagrams.nth(i).scroll_into_view_if_needed()
        settle(page)
        cue = diagrams.nth(i).evaluate(CUE)
        assert cue["marked"] == cue["wide"] and (cue["mask"] != "none") == cue["wide"], (i + 1, cue)
        assert (cue["hint"] not in ("none", "normal")) == cue["wide"], (i + 1, cue)
    assert page.evaluate(PAGE_WIDTH) == [390, 0]
    assert not page.errors, page.errors


# --- the large view --------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_larger_pans_and_zooms_by_touch_and_keyboard_and_escape_closes_it(root_site, phone, scheme):
    page = phone(scheme)
    page.goto(root_site.base + HOME, wait_until="load")
    page.goto(root_site.base + TOPIC, wait_until="load")
    page.locator("div.diagram").first.scroll_into_view_if_needed()
    entries, entry = page.evaluate("history.length"), page.evaluate(ENTRY)
    dialog = open_larger(page, 1)
    scrolled = page.evaluate("scrollY")  # (the tap may have scrolled the button into view)

    # The whole screen, a visible hint naming the keys, the drawing of the palette.
    box = dialog.evaluate("d => { const r = d.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }")
    assert box == [0, 0, 390, 844]
    hint = dialog.locator(".diagram-viewer__hint")
    assert hint.is_visible()
    assert all(words in hint.inner_text() for words in ("Drag", "pinch", "arrows", "+", "0 resets"))
    drawing = dialog.locator(".diagram-viewer__drawing > img")
    drawing.wait_for()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=drawing.element_handle())
    assert drawing.evaluate("img => img.currentSrc").endswith("-dark.svg") == (scheme == "dark")
    assert page.evaluate("history.length") == entries + 1 and page.evaluate(ENTRY) == entry + 1
    assert page.evaluate(PAGE_WIDTH) == [390, 0]
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(AXE_VIOLATIONS) == []

    first = page.evaluate(VIEW)
    assert first["scale"] >= 1, first  # at its own size at least: larger than in the page
    # Pinch: two fingers move apart around the middle of the screen, until the
    # drawing is larger than the screen both ways.
    gesture(page, [(165, 450), (225, 450)], [(45, 450), (345, 450)])
    pinched = page.evaluate(VIEW)
    assert pinched["scale"] > first["scale"] * 3, (first, pinched)
    # Drag: one finger moves left and up; the drawing follows it.
    gesture(page, [(300, 600)], [(200, 560)])
    dragged = page.evaluate(VIEW)
    assert dragged["scale"] == pinched["scale"]
    moved = (dragged["x"] - pinched["x"], dragged["y"] - pinched["y"])
    assert moved == (pytest.approx(-100, abs=1), pytest.approx(-40, abs=1)), (pinched, dragged)
    assert page.evaluate(PAGE_WIDTH) == [390, 0]

    # Keys: 0 goes back to the first view, + and - zoom, arrows move.
    page.keyboard.press("0")
    assert page.evaluate(VIEW) == first
    page.keyboard.press("+")
    assert page.evaluate(VIEW)["scale"] == pytest.approx(first["scale"] * 1.25)
    page.keyboard.press("-")
    assert page.evaluate(VIEW)["scale"] == pytest.approx(first["scale"])
    for _ in range(6):
        page.keyboard.press("+")  # larger than the screen both ways, so it can move both ways
    before = page.evaluate(VIEW)
    moves = {"ArrowRight": ("x", -1), "ArrowLeft": ("x", 1), "ArrowDown": ("y", -1), "ArrowUp": ("y", 1)}
    for key, (axis, sign) in moves.items():
        page.keyboard.press(key)
        after = page.evaluate(VIEW)
        assert (after[axis] - before[axis]) * sign > 10, (key, before, after)
        before = after
    assert page.url == root_site.base + TOPIC, "a key reached Material's shortcuts (n, p) or moved the page"

    page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == OPENER.format(1)
    assert page.evaluate("scrollY") == scrolled
    assert page.evaluate(PAGE_WIDTH) == [390, 0]
    # Closing went back over the large view's entry: Back now leaves the page.
    page.wait_for_function(f"{ENTRY} === {entry}")
    page.go_back()
    page.wait_for_url(lambda url: url.split("#")[0] == root_site.base + HOME)
    assert not page.errors, page.errors


def test_close_and_back_close_the_large_view_and_focus_returns(root_site, phone):
    page = phone()
    page.goto(root_site.base + HOME, wait_until="load")
    page.goto(root_site.base + TOPIC, wait_until="load")
    page.locator("div.diagram").nth(2).scroll_into_view_if_needed()
    dialog = open_larger(page, 3)
    scrolled = page.evaluate("scrollY")  # (the tap may have scrolled the button into view)
    dialog.get_by_role("button", name="Close the enlarged diagram").tap()
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == OPENER.format(3)
    assert page.evaluate("scrollY") == scrolled
    dialog = open_larger(page, 3)  # at once, while closing goes back over the entry: opens when it is back
    page.go_back()  # the back gesture
    dialog.wait_for(state="detached")
    assert page.url.split("#")[0] == root_site.base + TOPIC
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == OPENER.format(3)
    assert page.evaluate("scrollY") == scrolled
    assert page.evaluate(PAGE_WIDTH) == [390, 0]
    page.go_back()
    page.wait_for_url(lambda url: url.split("#")[0] == root_site.base + HOME)
    assert not page.errors, page.errors


def test_links_in_a_diagram_work_in_the_large_view(root_site, phone):
    """The home page's topic map (inline SVG): a drag that starts on a link moves the
    drawing; a tap follows the link, and the page it opens takes the large view's
    place in the history."""
    page = phone("dark")
    page.goto(root_site.base + HOME, wait_until="load")
    page.locator("div.diagram").first.scroll_into_view_if_needed()
    dialog = open_larger(page, 1)
    # #2c3354: the dark palette's node fill (PALETTE in diagram-live.mjs)
    assert dialog.locator("svg").evaluate("s => s.querySelector('style').textContent.includes('#2c3354')")
    page.keyboard.press("+")
    # A link whose middle is on the screen, with room around it.
    links = dialog.locator("svg a")
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    i, box = next((i, b) for i, b in enumerate(boxes)
                  if 60 < b["x"] + b["width"] / 2 < 330 and 150 < b["y"] + b["height"] / 2 < 700)
    link = links.nth(i)
    target = root_site.base + link.evaluate("a => a.getAttribute('xlink:href') || a.getAttribute('href')")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate(VIEW)
    gesture(page, [(x, y)], [(x + 40, y + 30)])
    # Moved, not followed. (Material's navigation.tracking may have added the
    # #heading the page was scrolled to.)
    assert page.evaluate(VIEW) != before and page.url.split("#")[0] == root_site.base + HOME
    box = link.bounding_box()
    page.wait_for_timeout(500)  # Chromium takes a tap at once after a drag for the drag's end, and sends no click
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(target)
    page.go_back()
    page.wait_for_url(lambda url: url.split("#")[0] == root_site.base + HOME)
    assert page.locator(f"{VIEWER}[open]").count() == 0
    page.go_back()  # no entry is left for the large view: Back leaves the home page
    assert page.url.split("#")[0] != root_site.base + HOME
    assert not page.errors, page.errors
