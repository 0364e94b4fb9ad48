"""The URL contract (urls.txt, scripts/url_contract.py): scripts/check_links.py, run with no
arguments on a copy of the project, reports each published page and anchor that a change
breaks, naming its entry; `make urls` adds new entries and removes none."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import check_links  # scripts/ and tests/: on pytest's path (pyproject.toml)
import url_contract
from copy_project import copy_project

ROOT = Path(__file__).resolve().parents[2]

RAFT = "docs/component/raft.md"
HEADING = "### Roles and terms { #roles-and-terms }"
ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project as committed, contract included."""
    return copy_project(tmp_path_factory.mktemp("contract"))


@pytest.fixture
def copy(project, tmp_path) -> Path:
    """A copy of the copy, for a test to change."""
    dest = tmp_path / "project"
    shutil.copytree(project, dest, symlinks=True)
    return dest


def check(project: Path, *args: str) -> tuple[int, list[dict]]:
    """check_links.py with no arguments, run from the project's folder, as a writer runs it."""
    out, here = io.StringIO(), os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), pytest.MonkeyPatch.context() as env:
            for name, value in ENV.items():
                env.setenv(name, value)
            code = check_links.main([*args, "--format", "json"])
    finally:
        os.chdir(here)
    return code, json.loads(out.getvalue())["findings"]


def contract_findings(findings: list[dict]) -> list[tuple]:
    return [(f["file"], f["line"], f["kind"], f["target"]) for f in findings if f["kind"].startswith("contract-")]


def line_of(project: Path, entry: str) -> int:
    lines = (project / url_contract.CONTRACT).read_text(encoding="utf-8").splitlines()
    return lines.index(entry) + 1


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_contract_is_up_to_date_and_a_fresh_build_passes(project):
    """No arguments, a clean tree, no PDF (made by a later step): exit 0; and
    `make urls` on that build has nothing to add."""
    code, findings = check(project)
    assert (code, findings) == (0, [])
    site = project / "site"
    subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "--strict", "-q", "--site-dir", str(site)],
                   cwd=project, check=True, env={**os.environ, **ENV})
    assert not (site / url_contract.PDF_FILE).exists()
    added, broken = url_contract.update(project / url_contract.CONTRACT, site)
    assert (added, broken) == ([], []), "run `make urls` and commit urls.txt"


def test_a_renamed_heading_id_is_reported_against_its_entry(copy):
    edit(copy / RAFT, HEADING, "### Roles and terms { #roles-terms }")
    # The site's own links to the old id are fixed, as a writer would fix them.
    for page in (copy / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if "#roles-and-terms" in text:
            page.write_text(text.replace("#roles-and-terms", "#roles-terms"), encoding="utf-8")
    code, findings = check(copy)
    entry = "/component/raft/#roles-and-terms"
    assert code == 1
    assert contract_findings(findings) == [("urls.txt", line_of(copy, entry), "contract-anchor", entry)]
    message = next(f["message"] for f in findings if f["target"] == entry)
    assert RAFT in message and "`roles-and-terms`" in message and "renamed `roles-terms`?" in message


def test_an_alias_id_keeps_the_old_anchor(copy):
    edit(copy / RAFT, HEADING, '<div id="roles-and-terms"></div>\n\n### Roles and terms { #roles-terms }')
    code, findings = check(copy)
    assert contract_findings(findings) == [] and code == 0, findings


def test_a_deleted_page_is_reported_once_with_its_entry(copy):
    (copy / "docs/glossary.md").unlink()
    code, findings = check(copy)
    entry = "/glossary/"
    assert code == 1
    assert contract_findings(findings) == [("urls.txt", line_of(copy, entry), "contract-page", entry)]
    assert "redirect" in next(f["message"] for f in findings if f["target"] == entry)


def test_a_moved_page_with_a_redirect_keeps_its_url_and_anchors(copy):
    """The redirect serves the old URL; its anchors are looked for on the page it leads to."""
    (copy / "docs/symptoms.md").rename(copy / "docs/start.md")
    edit(copy / "mkdocs.yml", "      - symptoms.md", "      - start.md")
    edit(copy / "mkdocs.yml", "  - redirects:\n      redirect_maps:\n",
         "  - redirects:\n      redirect_maps:\n        symptoms.md: start.md\n")
    code, findings = check(copy)
    assert contract_findings(findings) == [], findings
    # ... and an anchor that the new page lost is still found through the redirect.
    edit(copy / "docs/start.md", "{ #hot-shard }", "{ #one-hot-shard }")
    code, findings = check(copy)
    entry = "/symptoms/#hot-shard"
    assert contract_findings(findings) == [("urls.txt", line_of(copy, entry), "contract-anchor", entry)]
    assert "docs/start.md has no heading or id `hot-shard`" in next(f["message"] for f in findings if f["target"] == entry)


@pytest.fixture(scope="module")
def built(project, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("built") / "site"
    subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "-q", "--site-dir", str(site)],
                   cwd=project, check=True, env={**os.environ, **ENV})
    return site


def test_a_file_the_build_no_longer_writes_is_reported_and_the_pdf_only_when_built(project, built, tmp_path):
    """Also on a finished build (`make check` and `make test` check `--site-dir site`)."""
    site = tmp_path / "site"
    shutil.copytree(built, site)
    contract = project / url_contract.CONTRACT
    assert url_contract.check(contract, site) == []  # no PDF: made after the build
    (site / url_contract.PDF_FILE).write_bytes(b"%PDF-1.7")
    (site / "topics.json").unlink()
    code, findings = check(project, "--site-dir", str(site))
    entry = "/topics.json"
    assert code == 1
    assert contract_findings(findings) == [("urls.txt", line_of(project, entry), "contract-file", entry)]


def test_make_urls_adds_new_entries_and_removes_none(project, built, tmp_path):
    contract = tmp_path / "urls.txt"
    shutil.copy(project / url_contract.CONTRACT, contract)
    text = contract.read_text(encoding="utf-8")
    contract.write_text(text.replace("/component/raft/#pre-vote\n", "") + "/retired-on-purpose/\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "scripts/url_contract.py"), "--site-dir", str(built),
                           "--contract", str(contract)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "added /component/raft/#pre-vote" in done.stdout
    assert "contract-page: /retired-on-purpose/" in done.stdout  # still listed: removal is an edit
    lines = contract.read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert "/retired-on-purpose/" in entries and "/component/raft/#pre-vote" in entries
    assert entries == sorted(entries, key=url_contract.sort_key), "sorted, a page's anchors under it"


def test_make_urls_on_a_folder_that_is_not_a_built_site_says_so_and_exits_2(tmp_path):
    for folder in (tmp_path / "nowhere", tmp_path):
        done = subprocess.run([sys.executable, str(ROOT / "scripts/url_contract.py"), "--site-dir", str(folder),
                               "--contract", str(tmp_path / "urls.txt")], capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "is not a built site" in done.stderr and "make build" in done.stderr
    assert not (tmp_path / "urls.txt").exists()
