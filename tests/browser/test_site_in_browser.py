"""The built site in a real browser: diagrams, privacy, search, palette, instant navigation."""

from conftest import PRINT, ROOT, SHOWN_THEME, draw_all_diagrams
from mkdocs.config import load_config

from archnotes.nav import nav_uris, web_url

CB = "component/circuit-breaker/"
HOME = ""  # the home page carries the generated topic map
NO_DIAGRAMS = "component/"  # a section index: a table, no diagram


def test_every_page_renders_cleanly(site, open_page):
    """Each page: every diagram becomes an SVG, no errors, nothing from another host."""
    problems = []
    for url in site.pages:
        w = open_page()
        w.page.goto(site.base + url, wait_until="load")
        counts = draw_all_diagrams(w.page)
        w.page.wait_for_load_state("networkidle")
        expected_404 = url == "404.html"
        console = [e for e in w.console_errors if not (expected_404 and "404" in e)]
        if counts["drawn"] != counts["total"] or counts["errors"]:
            problems.append(f"{url or '/'}: {counts['drawn']} of {counts['total']} diagrams drawn, {counts['errors']} errors")
        problems += [f"{url or '/'}: console error: {e}" for e in console]
        problems += [f"{url or '/'}: page error: {e}" for e in w.page_errors]
        problems += [f"{url or '/'}: request to another host: {u}" for u in w.blocked]
        w.page.context.close()
    assert not problems, "\n".join(problems)
    # every page of the nav was opened, and the pages no nav lists: the print page and the 404 page
    nav = [web_url(uri) for uri in nav_uris(load_config(str(ROOT / "mkdocs.yml"))["nav"])]
    assert sorted(site.pages) == sorted(nav + [PRINT, "404.html"])


def test_pages_load_no_mermaid(site, open_page):
    """Diagrams arrive drawn (hooks/diagrams.py): no page, with diagrams or
    without, downloads mermaid."""
    for url, diagrams in ((NO_DIAGRAMS, False), (CB, True)):
        w = open_page()
        requested = []
        w.page.on("request", lambda r, requested=requested: requested.append(r.url))
        w.page.goto(site.base + url)
        w.page.wait_for_load_state("networkidle")
        counts = draw_all_diagrams(w.page)
        assert (counts["total"] > 0) == diagrams and counts["drawn"] == counts["total"]
        assert not [u for u in requested if "/mermaid/" in u], url


def test_search_finds_a_page(site, open_page):
    w = open_page()
    w.page.goto(site.base)
    box = w.page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("breaker")
    result = w.page.locator(f".md-search-result__item a[href*='{CB}']").first
    result.wait_for(timeout=10_000)  # fails unless the page is among the results, shown
    assert "circuit breaker" in result.inner_text().lower()  # the result names the page: its title is there


def _scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def _diagram_theme(page) -> str:
    """mermaid's theme of the first diagram as shown."""
    return page.evaluate(SHOWN_THEME)


ONE_DRAWING_SHOWN = """(cls) => [...document.querySelectorAll('div.diagram')].map((d) => {
  const shown = [...d.querySelectorAll('.diagram__canvas > svg, .diagram__canvas > img')]
    .filter((s) => s.getClientRects().length);
  return shown.length === 1 && shown[0].classList.contains(cls);
})"""


def test_each_drawn_diagram_shows_exactly_its_palettes_drawing(site, open_page):
    """One drawing per palette is in the page; CSS must show one, of the right palette."""
    for preference, cls in (("light", "diagram__light"), ("dark", "diagram__dark")):
        w = open_page(color_scheme=preference)
        w.page.goto(site.base + "software/sqlalchemy/")  # flowcharts, a state and sequence diagrams
        results = w.page.evaluate(ONE_DRAWING_SHOWN, cls)
        assert len(results) >= 3 and all(results), (preference, results)


def test_drawings_load_as_they_near_the_screen_in_the_readers_palette_only(site, open_page):
    """hooks/diagrams.py: the first load fetches the drawings near the top only,
    none for the other palette; scrolling brings the rest, each one once."""
    for preference in ("light", "dark"):
        w = open_page(color_scheme=preference)
        fetched = []
        w.page.on("request", lambda r, fetched=fetched: "/assets/diagrams/" in r.url and fetched.append(r.url))
        w.page.goto(site.base + "component/raft/", wait_until="load")  # its first diagram is near the top
        # Drawn as images: a diagram with links (the map of related topics) is inline SVG, nothing to fetch.
        total = w.page.locator("div.diagram:has(img)").count()
        w.page.wait_for_timeout(300)
        first = list(fetched)
        assert 0 < len(first) < total, (preference, first)
        draw_all_diagrams(w.page)
        assert len(fetched) == len(set(fetched)) == total, (preference, fetched)
        assert all(url.endswith("-dark.svg") == (preference == "dark") for url in fetched), (preference, fetched)


def test_palette_starts_from_os_preference(site, open_page):
    for preference, scheme, theme in (("light", "default", "default"), ("dark", "slate", "dark")):
        w = open_page(color_scheme=preference)
        w.page.goto(site.base + HOME)
        draw_all_diagrams(w.page, at_least=1)
        assert _scheme(w.page) == scheme
        assert _diagram_theme(w.page) == theme


def test_palette_toggle_recolours_diagrams_without_reload(site, open_page):
    w = open_page(color_scheme="light")
    w.page.goto(site.base + HOME)
    draw_all_diagrams(w.page, at_least=1)
    w.page.evaluate("window.__marker = 42")
    for _ in range(3):  # auto -> light -> dark: at most three clicks reach dark
        if _scheme(w.page) == "slate":
            break
        w.page.locator("form[data-palette] label:visible").first.click()
    assert _scheme(w.page) == "slate"
    w.page.wait_for_function(f"({SHOWN_THEME})() === 'dark'")
    assert draw_all_diagrams(w.page)["errors"] == 0
    assert all(w.page.evaluate(ONE_DRAWING_SHOWN, "diagram__dark"))
    assert w.page.evaluate("window.__marker") == 42, "the palette change reloaded the page"


# A copy of the page's first article table without its class, in a wrapper of its
# own after the original (no sibling rule applies to either): Material's CSS styles
# that one itself. Returns the computed style properties of the table,
# its first header cell and first data cell that differ between the two.
STYLE_DIFFERENCES_FROM_MATERIALS_TABLE = """() => {
  const ours = document.querySelector("article table.article-table");
  const theirs = ours.cloneNode(true);
  theirs.removeAttribute("class");
  const box = ours.parentElement.cloneNode(false);
  box.append(theirs);
  ours.closest(".md-typeset__scrollwrap").after(box);
  const differences = [];
  for (const part of [t => t, t => t.querySelector("th"), t => t.querySelector("td")]) {
    const [a, b] = [getComputedStyle(part(ours)), getComputedStyle(part(theirs))];
    for (const name of a) if (a.getPropertyValue(name) !== b.getPropertyValue(name)) differences.push(name);
  }
  box.remove();
  return differences;
}"""


def test_article_tables_are_wrapped_once_and_look_as_material_styles_them(site, open_page):
    """hooks/lean_pages.py wraps each table in Material's scroll wrappers before
    Material starts, so Material leaves it alone, and site.css styles it as
    Material styles its own."""
    w = open_page()
    w.page.goto(site.base + "component/circuit-breaker/")
    w.page.wait_for_selector(".md-code__button", state="attached")  # Material has started
    wrapped = ".md-typeset__scrollwrap > .md-typeset__table > table.article-table"
    assert w.page.locator("article table").count() == w.page.locator(wrapped).count() == 1
    assert w.page.locator(".md-typeset__table .md-typeset__table").count() == 0
    assert w.page.evaluate(STYLE_DIFFERENCES_FROM_MATERIALS_TABLE) == []


MATERIAL_BUNDLE = "**/assets/javascripts/bundle.*.min.js"


def test_palette_and_head_are_set_while_the_page_is_parsed(site, open_page):
    """The palette toggle is the site's own (partials/javascripts/palette.html)
    and, like the <head> script of overrides/partials/javascripts/base.html, does its work before the
    first paint: with Material's bundle blocked, the page still wears the OS's
    scheme, follows it when it changes, shows one palette button, switches on a
    click or Enter, and keeps the choice over a reload."""
    w = open_page(color_scheme="dark")
    w.page.route(MATERIAL_BUNDLE, lambda route: route.abort())
    w.page.goto(site.base + CB)
    assert _scheme(w.page) == "slate"
    assert w.page.evaluate("document.documentElement.className") == "js js-focus-visible"
    hrefs = w.page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute('href'))")
    assert hrefs and all(h.startswith("http://127.0.0.1:") for h in hrefs), hrefs
    w.page.emulate_media(color_scheme="light")  # the first option follows the OS
    w.page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    w.page.emulate_media(color_scheme="dark")
    buttons = w.page.locator("form[data-palette] label:visible")
    assert buttons.count() == 1
    buttons.first.click()  # following the OS -> light
    assert _scheme(w.page) == "default"
    w.page.reload()
    assert _scheme(w.page) == "default", "the choice did not survive a reload"
    w.page.locator("form[data-palette] input:checked").focus()
    w.page.keyboard.press("Enter")  # light -> dark
    assert _scheme(w.page) == "slate"
    w.page.wait_for_function("document.querySelector('meta[name=theme-color]')?.content.startsWith('#')")


def _instant_click(page, selector: str, expected_url: str) -> None:
    page.evaluate("window.__marker = 42")
    page.locator(selector).first.click()
    page.wait_for_url(f"**/{expected_url}")
    assert page.evaluate("window.__marker") == 42, "navigation was a full page load, not instant"


def test_instant_navigation_from_a_page_without_diagrams(site, open_page):
    w = open_page()
    w.page.goto(site.base + NO_DIAGRAMS)
    w.page.wait_for_load_state("networkidle")
    _instant_click(w.page, "a.md-header__button.md-logo", HOME)
    counts = draw_all_diagrams(w.page, at_least=1)
    assert counts["total"] >= 1 and counts["drawn"] == counts["total"]
    assert not w.page_errors and not w.blocked


def test_instant_navigation_from_the_404_page(site, open_page):
    w = open_page()
    response = w.page.goto(site.base + "no/such/page/")
    assert response.status == 404
    w.page.wait_for_load_state("networkidle")
    _instant_click(w.page, "a.md-header__button.md-logo", HOME)
    counts = draw_all_diagrams(w.page, at_least=1)
    assert counts["total"] >= 1 and counts["drawn"] == counts["total"]
    assert not w.page_errors and not w.blocked


def test_home_map_links_to_topic_pages(site, open_page):
    """The topic map links each box to its page."""
    w = open_page()
    w.page.goto(site.base)
    draw_all_diagrams(w.page, at_least=1)
    link = w.page.locator(f"div.diagram svg a[*|href='{CB}']:visible")
    assert link.count() == 1
    link.first.click()
    w.page.wait_for_url(site.base + CB)
    assert not w.page_errors


def test_neighbours_map_fits_and_the_list_under_it_opens_related_pages(site, open_page):
    """The map under a page's Related topics heading sits whole in the column of a
    phone and of a desktop, and the list under it opens a related page."""
    for width, height in ((390, 844), (1280, 900)):
        w = open_page()
        w.page.set_viewport_size({"width": width, "height": height})
        w.page.goto(site.base + CB)
        draw_all_diagrams(w.page, at_least=1)
        neighbours = w.page.locator("h2#related-topics + div.diagram")
        neighbours.scroll_into_view_if_needed()
        fits = neighbours.evaluate("d => d.scrollWidth <= d.clientWidth")
        assert fits, f"the neighbours map scrolls sideways at {width} px"
        # Material's instant navigation makes the page's links absolute
        link = w.page.locator("h2#related-topics ~ ul a[href$='/component/back-pressure/']").first
        link.click()
        # Material's navigation.tracking may write the heading it last tracked on
        # the page left (#uses) onto the new URL: the page is what is asked for.
        w.page.wait_for_url(lambda url: url.split("#")[0] == site.base + "component/back-pressure/")
        w.page.locator("h1#back-pressure").wait_for()  # instant navigation swaps the content after the URL
        assert not w.page_errors
        w.page.context.close()


def _first_diagram_source(site) -> str:
    """The first diagram's mermaid source as written, read from the built HTML."""
    import html as html_lib

    built = (site.dir / CB / "index.html").read_text(encoding="utf-8")
    escaped = built.split('<template class="diagram__source">', 1)[1].split("</template>", 1)[0]
    return html_lib.unescape(escaped).strip() + "\n"


def test_copy_source_puts_the_mermaid_text_on_the_clipboard(site, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base.rstrip("/"))
    page = context.new_page()
    page.goto(site.base + CB)
    draw_all_diagrams(page, at_least=1)
    copy = page.get_by_role("button", name="Copy source of diagram 1")
    copy.focus()
    page.keyboard.press("Enter")  # keyboard, not mouse
    page.get_by_role("status").filter(has_text="Copied").first.wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == _first_diagram_source(site)
    context.close()


def test_open_larger_shows_the_diagram_on_the_whole_screen_where_the_mouse_moves_and_zooms_it(site, open_page):
    """At 1280x900 with a keyboard and a mouse (the phone's touch and keys:
    test_diagram_viewer.py): Enter opens, a drag moves, the wheel zooms, Escape closes."""
    w = open_page()
    w.page.goto(site.base + CB)
    draw_all_diagrams(w.page, at_least=1)
    in_column = w.page.locator("div.diagram").first.evaluate(
        "d => [...d.querySelectorAll('img, svg')].find((s) => s.getClientRects().length).getBoundingClientRect().width")
    opener = w.page.get_by_role("button", name="Open larger view of diagram 1")
    opener.focus()
    w.page.keyboard.press("Enter")
    dialog = w.page.locator("dialog.diagram-viewer[open]")
    dialog.wait_for()
    assert dialog.evaluate("d => [d.getBoundingClientRect().width, d.getBoundingClientRect().height]") == [1280, 900]
    drawing = dialog.locator("img, svg[aria-roledescription]")
    assert drawing.count() == 1
    # larger than in the column: up to twice its own size, as far as the screen allows
    assert drawing.evaluate("d => d.getBoundingClientRect().width") > 1.5 * in_column
    view = "() => new DOMMatrix(getComputedStyle(document.querySelector('.diagram-viewer__drawing')).transform)"
    first = w.page.evaluate(f"({view})().a")
    w.page.mouse.move(640, 500)
    w.page.mouse.wheel(0, -300)  # wheel up: zoom in around the pointer
    w.page.wait_for_function(f"({view})().a > {first} * 1.5")
    before = w.page.evaluate(f"(() => {{ const m = ({view})(); return [m.e, m.f]; }})()")
    w.page.mouse.down()
    w.page.mouse.move(740, 500, steps=5)  # to the right: the drawing, wider than the screen now, has room there
    w.page.mouse.up()
    after = w.page.evaluate(f"(() => {{ const m = ({view})(); return [m.e, m.f]; }})()")
    assert [round(a - b) for a, b in zip(after, before)] == [100, 0], (before, after)
    w.page.keyboard.press("Escape")
    dialog.wait_for(state="detached")
    assert w.page.evaluate("document.activeElement.getAttribute('aria-label')") == "Open larger view of diagram 1"
    assert not w.page_errors
