"""Tests of scripts/check_links.py (the package scripts/checklinks) on the
small MkDocs projects in fixtures/.

fixtures/broken  one seeded fault of every kind, each at a known line
fixtures/clean   tricky links that are all valid: any finding is a false alarm
fixtures/plain   another kind of project (built-in theme, .html URLs, no nav)
"""

from __future__ import annotations

import contextlib
import http.server
import json
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from runs import FIXTURES, SCRIPT, check, found, message, write

from checklinks import builtsite, cli, pages, project  # noqa: E402


@pytest.fixture(scope="module")
def broken():
    return check("-f", str(FIXTURES / "broken" / "mkdocs.yml"))


@pytest.fixture(scope="module")
def clean():
    return check("-f", str(FIXTURES / "clean" / "mkdocs.yml"))


BROKEN = {
    # Markdown links, also in admonitions, tabs and details, and reference-style
    ("index.md", 7, "missing-page", "guide/setp.md"),
    ("index.md", 28, "missing-page", "guide/setp.md"),
    ("index.md", 26, "missing-page", "reference/old-api.md"),
    ("index.md", 15, "missing-anchor", "guide/setup.md#instal"),
    ("index.md", 18, "case-mismatch", "guide/Setup.md"),
    ("index.md", 20, "excluded-target", "_drafts/plan.md"),
    ("index.md", 21, "missing-file", "img/missing.png"),
    ("reference/api.md", 5, "missing-anchor", "#classes"),
    # raw HTML
    ("index.md", 24, "wrong-depth", "../guide/setup/"),
    ("guide/setup.md", 7, "missing-page", "../reference/api/"),
    ("guide/setup.md", 9, "missing-page", "../reference/api.md"),
    ("guide/setup.md", 11, "case-mismatch", "../../img/Logo.png"),
    ("reference/api.md", 7, "outside-site", "/guide/setup/"),
    ("reference/api.md", 9, "missing-anchor", "../../guide/setup/#instal"),
    # a mermaid click target
    ("guide/index.md", 8, "missing-page", "../reference/apii/"),
    # a link a theme override adds to every page, reported once
    ("overrides/main.html", 4, "missing-page", "team-wiki/"),
    # the config: nav entries and redirect targets
    ("mkdocs.yml", 16, "nav-missing", "ghost.md"),
    ("mkdocs.yml", 17, "nav-missing", "guide/setup.md#install"),
    ("mkdocs.yml", 23, "redirect-missing", "guide/gone.md"),
    # a page that neither the nav nor another page links to
    ("lonely.md", None, "orphan", "lonely/"),
}


def test_every_seeded_fault_is_reported_once_and_nothing_else(broken):
    code, report = broken
    assert found(report) == BROKEN
    assert code == 1
    assert report["checked"]["pages"] == 6
    assert report["checked"]["links"] > 100
    assert isinstance(report["seconds"], float)


def test_a_link_written_in_a_code_span_is_not_the_one_reported(broken):
    # index.md has `[setup](guide/setp.md)` in a code span on line 4: the
    # findings for that target are on the lines of the real links.
    _, report = broken
    lines = {f["line"] for f in report["findings"] if f["target"] == "guide/setp.md"}
    assert lines == {7, 28}


@pytest.mark.parametrize("file, line, suggestion", [
    ("index.md", 7, "guide/setup.md"),
    ("index.md", 15, "guide/setup.md#install"),
    ("index.md", 18, "guide/setup.md"),
    ("index.md", 24, "guide/setup/"),
    ("index.md", 26, "reference/api.md"),
    ("guide/setup.md", 7, "../../reference/api/"),
    ("guide/setup.md", 9, "../../reference/api/"),
    ("guide/setup.md", 11, "../../img/logo.png"),
    ("guide/index.md", 8, "../reference/api/"),
    ("reference/api.md", 7, "/docs/guide/setup/"),
    ("reference/api.md", 9, "../../guide/setup/#install"),
    ("mkdocs.yml", 17, "guide/setup/#install"),
])
def test_obvious_fixes_are_suggested(broken, file, line, suggestion):
    _, report = broken
    assert message(report, file, line).endswith(f"did you mean `{suggestion}`?")


def test_no_far_fetched_suggestion(broken):
    _, report = broken
    assert "did you mean" not in message(report, "mkdocs.yml", 23)
    assert "did you mean" not in message(report, "index.md", 21)


def test_tricky_valid_links_are_not_reported(clean):
    code, report = clean
    assert report["findings"] == []
    assert code == 0
    assert report["checked"]["pages"] == 5
    assert report["checked"]["links"] > 150


def test_another_kind_of_project():
    code, report = check("-f", str(FIXTURES / "plain" / "mkdocs.yml"))
    assert found(report) == {
        ("index.md", 5, "missing-page", "sub/page/"),  # raw HTML
        ("index.md", 11, "missing-page", "sub/gone.html"),  # a mermaid click target (HTML-escaped)
        ("index.md", 14, "missing-anchor", "/sub/page.md#part-three"),  # absolute_links: relative_to_docs
    }
    assert message(report, "index.md", 5).endswith("did you mean `sub/page.html`?")
    assert message(report, "index.md", 14).endswith("did you mean `/sub/page.md#part-two`?")
    assert code == 1


def test_checking_an_existing_build_finds_the_same(tmp_path, broken):
    config = str(FIXTURES / "broken" / "mkdocs.yml")
    loaded = project.load_project(config, str(tmp_path), with_plugins=True)
    with contextlib.chdir(FIXTURES / "broken"):
        project.build_site(loaded.config)
    code, report = check("-f", config, "--site-dir", str(tmp_path))
    assert found(report) == found(broken[1])
    assert code == 1


def test_checking_an_existing_build_reads_pages_that_no_doc_file_makes(tmp_path):
    """A page a hook or plugin generates (this site's /print/) is in the build
    but not in the docs folder; its links are checked too."""
    config = str(FIXTURES / "clean" / "mkdocs.yml")
    loaded = project.load_project(config, str(tmp_path), with_plugins=True)
    with contextlib.chdir(FIXTURES / "clean"):
        project.build_site(loaded.config)
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "index.html").write_text(
        '<!doctype html><title>g</title><a href="../">home</a> <a href="../made-later.pdf">PDF</a>')
    code, report = check("-f", config, "--site-dir", str(tmp_path))
    assert [(f["kind"], f["target"]) for f in report["findings"]] == [("missing-file", "made-later.pdf")]
    assert "generated/index.html" in report["findings"][0]["message"]
    assert code == 1
    (tmp_path / "made-later.pdf").write_bytes(b"%PDF-")
    assert check("-f", config, "--site-dir", str(tmp_path))[0] == 0


def test_the_zipapp_is_the_same_checker_in_one_file(tmp_path, capsys):
    """`make check-links-pyz`: one file to copy into another project, run from anywhere."""
    from zip_check_links import build

    pyz = build(tmp_path / "check_links.pyz")
    config = str(FIXTURES / "plain" / "mkdocs.yml")
    run = subprocess.run([sys.executable, str(pyz), "-f", config, "--format", "json"],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1
    assert found(json.loads(run.stdout)) == found(check("-f", config)[1])
    with zipfile.ZipFile(pyz) as archive:
        names = archive.namelist()
    assert "__main__.py" in names and "checklinks/cli.py" in names
    assert all(name.endswith((".py", "/")) for name in names)


def test_text_output_is_one_line_per_finding_then_a_summary(capsys):
    code = cli.main(["-f", str(FIXTURES / "plain" / "mkdocs.yml")])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("index.md:5: missing-page: sub/page/: nothing is served at `sub/page/`")
    assert all(re.fullmatch(r"[^:]+:(\d+|-): [a-z-]+: \S.*: \S.*", line) for line in lines[:-1])
    assert re.fullmatch(r"3 finding\(s\) in 3 pages and \d+ links in [\d.]+ s", lines[-1])


# --- usage and configuration errors ------------------------------------------------


@pytest.mark.parametrize("case, expected", [
    ("missing-config", "config file not found"),
    ("bad-yaml", "error parsing the configuration file"),
    ("missing-docs", "isn't an existing directory"),
    ("missing-site-dir", "site folder not found"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, capsys, case, expected):
    config = tmp_path / "mkdocs.yml"
    args = ["-f", str(config)]
    if case == "bad-yaml":
        write(config, "site_name: [unclosed\n")
    elif case == "missing-docs":
        write(config, "site_name: x\n")
    elif case == "missing-site-dir":
        write(config, "site_name: x\n")
        write(tmp_path / "docs" / "index.md", "# x\n")
        args += ["--site-dir", str(tmp_path / "nowhere")]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and "Traceback" not in err


def test_command_line_error_has_no_traceback(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), "-f", str(tmp_path / "none.yml")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith("check_links.py: error: config file not found")
    assert run.stderr.count("\n") == 1


def test_a_bad_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--format", "xml"])
    assert exit_.value.code == 2


# --- external links, against a local server only -----------------------------------


class Server(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.hits: dict[str, int] = {}
        super().__init__(("127.0.0.1", 0), Handler)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        hits = self.server.hits
        hits[self.path] = hits.get(self.path, 0) + 1
        # /flaky fails once, then works: one retry is enough.
        ok = self.path == "/ok" or (self.path == "/flaky" and hits[self.path] > 1)
        self.send_response(200 if ok else 503 if self.path == "/flaky" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def external_project(tmp_path: Path, base: str) -> Path:
    """A project and a hand-made build of it whose pages link to base."""
    a = f"[ok]({base}/ok)\n[gone]({base}/gone#part)\n[flaky]({base}/flaky)\n[closed](http://127.0.0.1:9/x)\n"
    write(tmp_path / "docs" / "a.md", a)
    write(tmp_path / "docs" / "b.md", f"[ok again]({base}/ok)\n")
    for page, links in (("a", ["/ok", "/gone#part", "/flaky"]), ("b", ["/ok"])):
        anchors = "".join(f'<a href="{base}{link}">x</a>' for link in links)
        if page == "a":
            anchors += '<a href="http://127.0.0.1:9/x">x</a>'
        write(tmp_path / "site" / page / "index.html", f"<html><body>{anchors}</body></html>")
    return write(tmp_path / "mkdocs.yml", "site_name: External\n")


def test_external_links_are_skipped_by_default(tmp_path, server):
    config = external_project(tmp_path, f"http://127.0.0.1:{server.server_port}")
    code, report = check("-f", str(config), "--site-dir", str(tmp_path / "site"))
    assert (code, report["findings"], server.hits) == (0, [], {})


def test_external_links_are_fetched_once_with_a_retry(tmp_path, server):
    base = f"http://127.0.0.1:{server.server_port}"
    config = external_project(tmp_path, base)
    code, report = check("-f", str(config), "--site-dir", str(tmp_path / "site"), "--external")
    assert found(report) == {
        ("a.md", 2, "external-broken", f"{base}/gone#part"),
        ("a.md", 4, "external-unreachable", "http://127.0.0.1:9/x"),
    }
    assert "HTTP 404" in message(report, "a.md", 2)
    assert server.hits == {"/ok": 1, "/gone": 1, "/flaky": 2}  # /ok is on two pages: fetched once
    assert code == 1


# --- the parts ---------------------------------------------------------------------


def test_mermaid_click_lines():
    source = """flowchart LR
      click A href "a/" "tip"
      click B "b/#x" _blank
      click C callback "tip"
      click D call callback()
      A --> B
    """
    assert pages.mermaid_click_urls(source) == ["a/", "b/#x"]


def test_parsed_html_ignores_script_text_and_reads_srcset():
    page = pages.parse_html(
        '<script>var s = "<a href=\'nope/\'>";</script><img srcset="a.png 1x, b.png 2x" id="i">'
        '<link rel="preconnect" href="https://cdn.example"><a name="old"></a>')
    assert [link.value for link in page.links] == ["a.png", "b.png"]
    assert page.ids == {"i", "old"}


def test_the_fast_reading_of_html_reads_what_the_html_parser_reads(tmp_path):
    """pages.scan_tags (regular expressions) and pages.PageParser (html.parser)
    find the same links and ids on every page of two built fixtures, and on
    HTML that tries to fool a regular expression."""
    tricky = ('<!-- <a href="in-comment/"> --><script src="s.js">if (a<b) x = "<a href=\'no/\'>";</script>'
              '<STYLE>a[href="x>"]{}</STYLE><A HREF=bare/ ID=Caps title="a > b">x</A>'
              '<img alt="it\'s" src="i.png" srcset="a.png 1x,b.png 2x"><a href="q?a=1&amp;b=2" name="n">'
              '<span id="s1"></span><div data-x="1" id=\'s2\'></div><link rel="dns-prefetch" href="//x">')
    pages_ = [tricky]
    for fixture in ("clean", "broken"):
        loaded = project.load_project(str(FIXTURES / fixture / "mkdocs.yml"), str(tmp_path / fixture), with_plugins=True)
        with contextlib.chdir(FIXTURES / fixture):
            project.build_site(loaded.config)
        pages_ += [path.read_text(encoding="utf-8") for path in sorted((tmp_path / fixture).rglob("*.html"))]
    assert len(pages_) > 10
    for text in pages_:
        parser = pages.PageParser(clicks=False)
        parser.feed(text)
        parser.close()
        assert pages.scan_tags(text) == parser.page


@pytest.mark.parametrize("href, where, path, fragment, above_root", [
    ("../other/#part", "internal", "guide/other/", "part", False),
    ("../../../x/", "internal", "x/", "", True),
    ("#part", "internal", "guide/page/index.html", "part", False),
    ("my%20notes/", "internal", "guide/page/my notes/", "", False),
    ("/docs/guide/", "internal", "guide/", "", False),  # inside site_url's folder
    ("/guide/", "internal", "guide/", "", True),  # outside it
    ("https://example.org/docs/guide/#a", "internal", "guide/", "a", False),
    ("https://example.org/elsewhere/", "external", "", "", False),
    ("//cdn.example/lib.js", "external", "", "", False),
    ("mailto:team@example.org", "skip", "", "", False),
])
def test_urls_resolve_as_a_browser_resolves_them(tmp_path, href, where, path, fragment, above_root):
    from types import SimpleNamespace

    from mkdocs.structure.files import Files

    site = builtsite.Site(tmp_path, SimpleNamespace(site_url="https://example.org/docs/"), Files([]))
    target = site.locate(href, "guide/page", "guide/page/index.html")
    assert (target.where, target.path, target.fragment, target.above_root) == (where, path, fragment, above_root)


def test_diagram_links_are_read_from_the_builds_manifest(tmp_path, monkeypatch):
    """A drawn diagram keeps its links inside its SVG; the build's diagrams.json lists them."""
    from archnotes.diagram_data import Diagram, write_manifest
    from sitebuild import build

    config = FIXTURES / "clean" / "mkdocs.yml"
    site = tmp_path / "site"
    monkeypatch.chdir(config.parent)  # as `mkdocs build` runs: snippets' base_path is relative
    build(config, site)
    code, report = check("-f", str(config), "--site-dir", str(site))
    assert code == 0, report["findings"]
    write_manifest(site, "web", [Diagram("k", "docs/index.md", 3, 1, "", "web", True, "flowchart LR\n  A",
                                         links=["nowhere/", "index.html"])])
    code, report = check("-f", str(config), "--site-dir", str(site))
    assert code == 1
    assert [(f["kind"], f["target"]) for f in report["findings"]] == [("missing-page", "nowhere/")]
