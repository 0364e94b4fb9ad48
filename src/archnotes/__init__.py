"""The project's own code that hooks, scripts and tests share: each fact defined once.

    editions      the editions (web, offline, PDF), their configs, the print page, the PDF's name
    nav           the sections, where a topic page lives, the nav as a list of pages, a page's URL
    diagram_data  the diagrams as data: drawings (diagrams/KEY.svg) and the manifest (diagrams.json)
    mermaid       the vendored mermaid: where it is, its version, parsing diagrams with it
    browser       headless Chromium (the CHROMIUM variable), requests kept on the site's own host
    serve_site    serving a built site as static hosting does

`make` installs this package in editable mode (pyproject.toml), so hooks
(loaded by MkDocs from hooks/), scripts (run as `python scripts/NAME.py`) and
tests import it by name; pytest finds it in src/ by itself (pyproject.toml).
"""
