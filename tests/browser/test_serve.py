"""`make serve` as a writer runs it: on a copy of the project with a page whose diagrams
are not drawn yet, one of them broken, on a port of the writer's choice (PORT).

It must start (the preview is not strict), draw the new diagram in the browser under a
note naming its file and line, show the broken one's syntax error there with its line
in the Markdown file, and warn in its log with the same file and line.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import block_other_hosts

from copy_project import MAKE, copy_project

PAGE = """---
title: Scratch
description: A page being written.
---

# Scratch

Text.

```mermaid
flowchart LR
  Written --> NotDrawnYet
```

More text.

```mermaid
sequenceDiagram
  Alice->>Bob: hi
  Bob-->>: missing target
```
"""
NEW_LINE, BROKEN_FENCE, BROKEN_LINE = 10, 17, 20  # mermaid's "line 3" of the fence on line 17


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with a new page."""
    copy = copy_project(tmp_path_factory.mktemp("project"))
    (copy / "docs" / "scratch.md").write_text(PAGE)
    return copy


@pytest.fixture(scope="module")
def served(project):
    """`PORT=<free port> make serve`, until it serves; its base URL and its log."""
    port = free_port()
    log = project / "serve.log"
    env = {**os.environ, "PORT": str(port)}
    with open(log, "wb") as out:
        process = subprocess.Popen([*MAKE, "serve"], cwd=project, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                urllib.request.urlopen(base + "scratch/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        if process.poll() is not None or time.monotonic() >= deadline:
            pytest.fail("make serve did not serve:\n" + log.read_text(errors="replace")[-3000:])
        yield base, log
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the group this test started: make and mkdocs
            process.wait(timeout=30)


def test_make_serve_starts_on_the_port_asked_and_warns_with_file_and_line(served):
    base, log = served
    text = log.read_text(errors="replace")
    assert f"--dev-addr 127.0.0.1:{base.split(':')[2].strip('/')}" in text
    assert f"docs/scratch.md:{NEW_LINE}: diagram 1 of /scratch/ is not drawn yet" in text
    assert "Aborted" not in text


def test_a_new_diagram_is_drawn_live_under_a_note_and_a_broken_one_shows_its_error_and_line(served, browser):
    base, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = block_other_hosts(context, base)
    page = context.new_page()
    try:
        page.goto(base + "scratch/", wait_until="load")
        notes = page.locator(".diagram-pending")
        page.wait_for_function("document.querySelector('div.mermaid svg[aria-roledescription]') !== null", timeout=20_000)
        page.wait_for_selector(".diagram-pending.failure", timeout=20_000)
        first, second = notes.nth(0), notes.nth(1)
        assert first.is_visible() and "Diagram not drawn yet" in first.inner_text()
        assert f"docs/scratch.md:{NEW_LINE}" in first.inner_text() and "make diagrams" in first.inner_text()
        drawn = page.locator("div.mermaid").nth(0).locator("svg[aria-roledescription]")
        assert drawn.get_attribute("aria-roledescription") != "error" and drawn.is_visible()
        # The error where the diagram would be: just above it, with its line in the Markdown file.
        assert second.is_visible() and "Diagram does not parse" in second.inner_text()
        assert f"docs/scratch.md:{BROKEN_LINE}" in second.inner_text()
        assert "Parse error on line 3" in second.inner_text()
        assert page.evaluate("(n) => n.nextElementSibling.matches('div.mermaid')", second.element_handle())
    finally:
        context.close()
    assert not blocked, blocked
