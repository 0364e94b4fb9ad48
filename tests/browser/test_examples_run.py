"""The examples' Run buttons (hooks/examples_runner.py), in Chromium: every example
file, run through the page's own button with Pyodide, prints exactly its recorded
.out; Edit, Reset, Stop and the time limit work; output is text, capped; nothing of
the runtime loads before a reader reaches for a button, and nothing from another host.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archnotes.browser import block_other_hosts
from examples_runner import BROWSER_VARIANTS, OUTPUT_BLOCK  # hooks/: on pytest's path (pyproject.toml)

ROOT = Path(__file__).resolve().parents[2]

DOCS = ROOT / "docs"
RUN = re.compile("^Run")
# Examples whose own output cannot match in a browser, and why; their variant runs instead.
CANNOT_MATCH = {
    "apscheduler/apscheduler3_demo": "part 4 runs a job in a ThreadPoolExecutor's thread; Pyodide cannot start threads",
    "sqlalchemy/sqlalchemy_internals": "scoped_session's demonstration starts a second thread; Pyodide cannot start threads",
}


def topic_pages() -> dict[str, list[str]]:
    """Page URL (component/raft/) -> the examples whose output it shows, in page order."""
    pages = {}
    for md in sorted(DOCS.glob("*/*.md")):
        examples = OUTPUT_BLOCK.findall(md.read_text(encoding="utf-8"))
        if examples and md.parent.name != "_templates":
            pages[f"{md.parent.name}/{md.stem}/"] = examples
    return pages


PAGES = topic_pages()


@pytest.fixture
def page(browser, root_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = block_other_hosts(context, root_site.base)
    tab = context.new_page()
    tab.blocked = blocked
    yield tab
    context.close()


def run_and_wait(block, timeout=60_000) -> str:
    block.get_by_role("button", name=RUN).click()
    block.page.wait_for_function("b => b.querySelector('output').getAttribute('aria-busy') === 'false'",
                                 arg=block.element_handle(), timeout=timeout)
    return block.locator("output").text_content()


def test_every_topic_page_has_a_runnable_example():
    topics = [md for md in DOCS.glob("*/*.md") if md.stem != "index" and md.parent.name in
              ("organization", "connection", "component", "software")]
    assert len(topics) == 16
    assert {f"{md.parent.name}/{md.stem}/" for md in topics} <= set(PAGES)


def test_the_test_and_the_site_agree_on_what_cannot_match():
    assert set(CANNOT_MATCH) == set(BROWSER_VARIANTS)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_each_example_prints_its_recorded_output_in_the_browser(page, root_site, url):
    page.goto(root_site.base + url)
    blocks = page.locator("[data-example]")
    assert blocks.count() == len(PAGES[url])
    for i, example in enumerate(PAGES[url]):
        block = blocks.nth(i)
        why, variant = BROWSER_VARIANTS.get(example, ("", example))
        if why:
            assert block.locator(".example-run__note").text_content() == why
        assert block.get_attribute("data-example").endswith(f"examples/{variant}.py")
        output = run_and_wait(block)
        status = block.locator("[data-example-part=status]").text_content()
        assert output == (DOCS / "examples" / f"{variant}.out").read_text(encoding="utf-8"), f"{variant}: {status}"
        assert status.startswith("Finished"), status
    assert page.blocked == []


def test_nothing_of_the_runtime_loads_before_a_reader_reaches_for_a_button(page, root_site):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(root_site.base + "component/raft/")
    page.mouse.wheel(0, 20_000)  # scrolled past the example: still nothing
    page.wait_for_timeout(500)
    assert not [u for u in requests if "example-runner" in u or "/pyodide/" in u]
    page.get_by_role("button", name=RUN).first.hover()
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('example-runner'))")
    assert not [u for u in requests if "/pyodide/" in u]
    run_and_wait(page.locator("[data-example]").first)
    runtime = [u for u in requests if "/pyodide/" in u]
    assert any(u.endswith("pyodide.asm.wasm") for u in runtime)
    assert all(u.startswith(root_site.base) for u in runtime)
    assert page.blocked == []


def edit(block, code: str) -> None:
    block.get_by_role("button", name="Edit").click()
    block.locator("textarea").fill(code)


def test_edit_runs_the_changed_program_and_reset_restores_the_tested_one(page, root_site):
    page.goto(root_site.base + "component/sharding/")
    block = page.locator("[data-example]").first
    block.get_by_role("button", name="Edit").click()
    editor = block.get_by_role("textbox")
    tested = (DOCS / "examples" / "sharding" / "rebalance.py").read_text(encoding="utf-8")
    assert editor.input_value() == tested  # the whole file, not the parts the page shows
    assert block.get_by_role("button", name="Edit").get_attribute("aria-expanded") == "true"
    editor.fill('print("<b>changed</b>")\nimport sys; print("to stderr", file=sys.stderr)\n')
    assert run_and_wait(block) == "<b>changed</b>\nto stderr\n"
    assert block.locator("output b").count() == 0  # text, never HTML
    block.get_by_role("button", name="Reset").click()
    page.wait_for_function("t => document.querySelector('[data-example] textarea').value === t", arg=tested)


def test_an_error_shows_its_traceback(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    edit(block, "def f():\n    return 1 / 0\n\nf()\n")
    output = run_and_wait(block)
    assert output.startswith("Traceback (most recent call last):\n")
    assert output.endswith("ZeroDivisionError: division by zero\n")
    assert "run_file" not in output


def test_stop_ends_a_program_and_the_page_stays_responsive(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    edit(block, "print('looping', flush=True)\nwhile True:\n    pass\n")
    block.get_by_role("button", name=RUN).click()
    page.wait_for_function("() => document.querySelector('output').textContent === 'looping\\n'", timeout=60_000)
    assert block.locator("output").get_attribute("aria-busy") == "true"
    assert page.evaluate("() => 1 + 1") == 2  # the page answers while Python loops
    block.get_by_role("button", name="Stop").click()
    assert block.locator("output").get_attribute("aria-busy") == "false"
    assert block.locator("[data-example-part=status]").text_content() == "Stopped."
    block.locator("textarea").fill("print('again')\n")
    assert run_and_wait(block) == "again\n"  # in a new worker


def test_a_program_that_runs_too_long_is_stopped(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    edit(block, "while True:\n    pass\n")
    run_and_wait(block, timeout=60_000)
    assert block.locator("[data-example-part=status]").text_content() == "Stopped: the program ran longer than 10 s."


def test_megabytes_of_output_are_cut_with_a_note(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    edit(block, "for i in range(30_000):\n    print('x' * 99)\n")
    assert len(run_and_wait(block)) == 200_000
    status = block.locator("[data-example-part=status]").text_content()
    assert "Output truncated: the program printed 3,000,000 characters; the first 200,000 are shown." in status


def test_the_program_cannot_reach_the_sites_storage(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    edit(block, "import js\nprint(js.indexedDB, js.caches, hasattr(js, 'document'))\n")
    assert run_and_wait(block) == "None None False\n"


@pytest.mark.parametrize("width,height", [(360, 800), (390, 844), (412, 915), (1280, 900)])
def test_editor_and_output_fit_the_screen(browser, root_site, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    run_and_wait(block)
    block.get_by_role("button", name="Edit").click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()


def test_only_run_and_edit_show_until_a_run_or_an_edit(page, root_site):
    page.goto(root_site.base + "component/raft/")
    block = page.locator("[data-example]").first
    visible = lambda: [b.text_content() for b in block.get_by_role("button").all() if b.is_visible()]  # noqa: E731
    assert visible() == ["Run raft_sim.py", "Edit"]
    assert not block.locator("output").is_visible()
    run_and_wait(block)
    assert visible() == ["Run raft_sim.py", "Edit"]  # Stop only while running
    block.get_by_role("button", name="Edit").click()
    assert visible() == ["Run raft_sim.py", "Edit", "Reset"]
