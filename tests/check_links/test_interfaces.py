"""The link checker's interfaces: stdout carries only the report, bad input
exits 2 with one line that says what to do, --exclude, warnings on stderr.
Each test writes the small project it needs (no network)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from runs import FIXTURES, ROOT, SCRIPT, check, found, message, project, write

from checklinks import cli  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def run_script(*args: str, python: str = sys.executable, cwd: Path = ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([python, str(SCRIPT), *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, env=env or ENV)


# --- stdout carries only the report ---------------------------------------------------

NOISY_HOOK = '''import subprocess, sys
def on_page_markdown(markdown, page, **kwargs):
    print("hook says hello from", page.file.src_uri)
    subprocess.run(["echo", "a subprocess of the hook says hello"])
    return markdown
'''
NOISY_EXTENSION = '''from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
class Noisy(Preprocessor):
    def run(self, lines):
        print("extension says hello")
        return lines
class NoisyExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Noisy(md), "noisy", 1)
def makeExtension(**kwargs):
    return NoisyExtension(**kwargs)
'''


@pytest.fixture
def noisy(tmp_path):
    """A project whose hook and Markdown extension print while pages render,
    with one broken link and a look-alike in an HTML comment, so that the
    checker renders the page again to tell which is the link."""
    write(tmp_path / "noisy_hook.py", NOISY_HOOK)
    write(tmp_path / "noisy_extension.py", NOISY_EXTENSION)
    config = project(tmp_path, "hooks: [noisy_hook.py]\nmarkdown_extensions: [noisy_extension]\n",
                     {"index.md": "# Home\n\n[gone](gone.md)\n\n<!-- [gone](gone.md) -->\n"})
    return config, {**ENV, "PYTHONPATH": str(tmp_path)}


@pytest.mark.parametrize("mode", ["build", "site-dir"])
def test_what_a_build_prints_goes_to_stderr_and_json_parses(noisy, tmp_path, mode):
    config, env = noisy
    args = ["-f", str(config), "--format", "json"]
    if mode == "site-dir":
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")],
                       check=True, env=env, capture_output=True)
        args += ["--site-dir", str(tmp_path / "site")]
    run = run_script(*args, env=env)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert found(report) == {("index.md", 3, "missing-page", "gone.md")}
    assert "extension says hello" in run.stderr
    if mode == "build":
        assert "hook says hello from index.md" in run.stderr
        assert "a subprocess of the hook says hello" in run.stderr


# --- bad input: exit 2, one line that says what to do ----------------------------------


def one_line_error(run: subprocess.CompletedProcess) -> str:
    assert run.returncode == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr, run.stderr
    return run.stderr


def test_a_site_dir_with_no_html_pages_is_an_error(tmp_path):
    config = project(tmp_path, "", {"index.md": "# Home\n"})
    (tmp_path / "site").mkdir()
    error = one_line_error(run_script("-f", str(config), "--site-dir", str(tmp_path / "site")))
    assert "no HTML pages in" in error and "build the site first" in error


@pytest.mark.parametrize("mode", ["build", "site-dir"])
def test_an_empty_docs_folder_is_an_error(tmp_path, mode):
    config = project(tmp_path, "", {})
    (tmp_path / "docs").mkdir()
    args = ["-f", str(config)]
    if mode == "site-dir":
        write(tmp_path / "site" / "index.html", "<!doctype html><title>x</title>")
        args += ["--site-dir", str(tmp_path / "site")]
    error = one_line_error(run_script(*args))
    assert "no Markdown pages in the docs folder" in error and "add one" in error


def pythons(versions) -> list[str]:
    """Interpreters of these versions on this machine (on PATH, or pyenv's)."""
    found_ = []
    for version in versions:
        candidates = [shutil.which(f"python{version}")] + glob.glob(
            os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python"))
        for python in filter(None, candidates):
            if subprocess.run([python, "-c", "pass"], capture_output=True).returncode == 0:
                found_.append(python)
                break
    return found_


@pytest.mark.parametrize("python", pythons(["2.7", "3.6", "3.8", "3.9"]) or [pytest.param(None, marks=pytest.mark.skip(
    reason="no Python older than 3.10 on this machine"))])
def test_an_older_python_is_refused_in_one_line(python):
    error = one_line_error(run_script("-f", str(FIXTURES / "plain" / "mkdocs.yml"), python=python))
    assert error.startswith("check_links.py: error: Python ") and "run it with Python 3.10 or later" in error


def test_python_3_10_is_supported():
    """PYTHON310: a Python 3.10 with MkDocs 1.6 and pymdown-extensions (Material 9.8
    itself needs 3.11, so the fixture with the built-in theme)."""
    python = os.environ.get("PYTHON310")
    if not python:
        pytest.skip("set PYTHON310 to a Python 3.10 that has mkdocs 1.6 and pymdown-extensions")
    version = subprocess.run([python, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True)
    assert version.stdout.strip() == "(3, 10)"
    run = run_script("-f", str(FIXTURES / "plain" / "mkdocs.yml"), "--format", "json", python=python)
    assert run.returncode == 1, run.stderr
    assert found(json.loads(run.stdout)) == found(check("-f", str(FIXTURES / "plain" / "mkdocs.yml"))[1])


# --- --exclude: targets another build publishes ----------------------------------------

LANGUAGES = {
    "index.md": "# Home\n\n<a href=\"/de/\">Deutsch</a> <a href=\"../ja/\">日本語</a>\n\n[gone](gone.md)\n",
    "guide/page.md": "# Page\n\n<a href=\"../../de/guide/page/\">Deutsch</a>\n",
}
LANGUAGE_CONFIG = "site_url: https://example.org/\nnav: [index.md, guide/page.md]\n"


def test_without_exclude_links_to_another_build_are_findings(tmp_path):
    code, report = check("-f", str(project(tmp_path, LANGUAGE_CONFIG, LANGUAGES)))
    assert {f["target"] for f in report["findings"]} == {"/de/", "../ja/", "../../de/guide/page/", "gone.md"}
    # `de/guide/page/` is most like `guide/page/`: the very page, which is no fix to suggest
    assert "did you mean" not in message(report, "guide/page.md", 3)
    assert code == 1


@pytest.mark.parametrize("patterns", [
    ["^de/", "^ja/"],  # resolved paths
    ["^(/|\\.\\./)+(de|ja)/"],  # the links as written
])
def test_exclude_skips_targets_published_elsewhere(tmp_path, patterns):
    config = project(tmp_path, LANGUAGE_CONFIG, LANGUAGES)
    args = [arg for pattern in patterns for arg in ("--exclude", pattern)]
    code, report = check("-f", str(config), *args)
    assert found(report) == {("index.md", 5, "missing-page", "gone.md")}
    assert code == 1


def test_a_bad_exclude_pattern_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--exclude", "(unclosed"])
    assert exit_.value.code == 2
    assert "not a regular expression: '(unclosed'" in capsys.readouterr().err


# --- what a step gives up on is said on stderr -------------------------------------------


def test_a_page_that_cannot_be_read_again_is_reported_without_a_line(tmp_path, capsys):
    config = project(tmp_path, "", {"index.md": "# Home\n\n[gone](gone.md)\n"})
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")],
                   check=True, env=ENV, capture_output=True)
    (tmp_path / "docs" / "index.md").write_bytes(b"# Home\n\n\xff[gone](gone.md)\n")  # not UTF-8 any more
    capsys.readouterr()
    code, report = check("-f", str(config), "--site-dir", str(tmp_path / "site"))
    assert code == 1
    assert [(f["file"], f["line"], f["target"]) for f in report["findings"]] == [("index.md", None, "gone.md")]
    err = capsys.readouterr().err
    assert "check_links.py: WARNING: index.md: cannot render its Markdown to place findings on lines" in err
    assert "UnicodeDecodeError" in err
