"""Run buttons under every example: the tested program, run in the reader's browser.

Each page shows parts of an example file and its recorded output, as a fenced block:

    ```text title="Output"
    --8<-- "examples/<slug>/<name>.out"
    ```

Under each such block this hook adds the example's controls (web edition):

    <div class="example-run" data-example="../../examples/<slug>/<name>.py">
      Run <name>.py · Edit · Reset · Stop, a status line, and an <output>
    </div>

The buttons do nothing until assets/javascripts/examples.mjs loads the runner
(example-runner.mjs) on a reader's first reach for one; the first Run starts
Pyodide in a Web Worker (example-worker.mjs), which runs the whole file, as the
tests do. The page itself only gains this markup and examples.mjs.

Pyodide and the examples' libraries are published from .cache/pyodide/
(scripts/fetch_pyodide.py, `make runtime`) as assets/pyodide/, checked against
PYODIDE.json: a missing or different file stops the build. packages.json beside
them tells the worker which files an import needs.

The offline edition has a note instead of the buttons: Chromium refuses to start
a Web Worker from a page opened from disk (file://), and a page that must stay
responsive while Python runs needs one. The PDF edition has neither: code and
output only.

An example whose program cannot give its recorded output in a browser is listed
in BROWSER_VARIANTS with the reason and a variant that can; the page says so
under its buttons.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from archnotes.editions import OFFLINE, PDF, edition_of

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "pyodide"
RECORD = ROOT / "PYODIDE.json"
PUBLISHED = "assets/pyodide"

OUTPUT_BLOCK = re.compile(r'^```text title="Output"\n--8<-- "examples/(?P<example>[^"\n]+)\.out"\n```[ \t]*$', re.M)

# examples/<slug>/<name> -> (why it cannot match in a browser, the variant that runs there).
# A variant imports the example it varies, which the worker writes beside it.
BROWSER_VARIANTS: dict[str, tuple[str, str]] = {
    "apscheduler/apscheduler3_demo": (
        "Run runs apscheduler3_browser.py: parts 1 to 3 of this demo, the same code. Part 4 needs a worker "
        "thread, and Python in a browser cannot start one.",
        "apscheduler/apscheduler3_browser"),
    "sqlalchemy/sqlalchemy_internals": (
        "Run runs sqlalchemy_internals_browser.py: the same code without the scoped_session line, which starts a "
        "second thread, and Python in a browser cannot start one.",
        "sqlalchemy/sqlalchemy_internals_browser"),
}

OFFLINE_NOTE = ('<p class="example-run__note">To run this example, open the web edition: browsers do not start the '
                'Web Worker that Python runs in from a page opened from disk.</p>')


def on_files(files, config):
    if edition_of(config) != "web":
        return files
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    for name, digest in sorted(record["files"].items()):
        files.append(runtime_file(name, digest, config))
    # import name -> the files it needs, relative to assets/pyodide/ (read by example-worker.mjs)
    files.append(File.generated(config, f"{PUBLISHED}/packages.json", content=json.dumps(record["imports"], sort_keys=True)))
    return files


def runtime_file(name: str, digest: str, config) -> File:
    """One file of .cache/pyodide/ as assets/pyodide/<name>, after checking its hash."""
    path = CACHE / name
    if not path.is_file():
        raise PluginError(f"examples runner: .cache/pyodide/{name} is missing; run `make runtime` "
                          "(scripts/fetch_pyodide.py)")
    if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        raise PluginError(f"examples runner: .cache/pyodide/{name} differs from PYODIDE.json; run `make runtime`")
    return File.generated(config, f"{PUBLISHED}/{name}", abs_src_path=str(path))


def on_page_markdown(markdown, page, config, files):
    edition = edition_of(config)
    if edition == PDF.name:
        return markdown

    def controls(match: re.Match) -> str:
        example = match["example"]
        line = markdown.count("\n", 0, match.start()) + 2
        if files.get_file_from_path(f"examples/{example}.py") is None:
            raise PluginError(f"docs/{page.file.src_uri}:{line}: examples/{example}.out has no "
                              f"examples/{example}.py beside it to run")
        extra = OFFLINE_NOTE if edition == OFFLINE.name else block(example, page)
        return f"{match[0]}\n\n{extra}\n"

    return OUTPUT_BLOCK.sub(controls, markdown)


def block(example: str, page) -> str:
    """The controls of one example; a variant, if it needs one, is what Run runs."""
    why, variant = BROWSER_VARIANTS.get(example, ("", example))
    name = variant.rsplit("/", 1)[-1] + ".py"
    url = get_relative_url(f"examples/{variant}.py", page.url)
    note = f'<p class="example-run__note">{html.escape(why)}</p>' if why else ""
    uses = f' data-example-uses="{html.escape(get_relative_url(f"examples/{example}.py", page.url))}"' if why else ""
    return (f'<div class="example-run" data-example="{html.escape(url)}"{uses}>{note}'
            '<div class="example-run__bar">'
            f'<button type="button" class="md-button md-button--primary" data-example-action="run">Run {name}</button>'
            '<button type="button" class="md-button" data-example-action="edit" aria-expanded="false">Edit</button>'
            '<button type="button" class="md-button" data-example-action="reset" hidden>Reset</button>'
            '<button type="button" class="md-button" data-example-action="stop" hidden>Stop</button>'
            '<span class="example-run__status" data-example-part="status" role="status"></span>'
            '</div>'
            f'<output class="example-run__output" data-example-part="output" hidden></output>'
            '</div>')
