"""Every page says when it last changed: from git, or from the file without history."""

import importlib.util
import os
import re
import shutil
import sys

from pages import DOCS, ROOT, topic_pages


def freshness():
    spec = importlib.util.spec_from_file_location("freshness_hook", ROOT / "hooks" / "freshness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["freshness_hook"] = module
    spec.loader.exec_module(module)
    return module


def test_every_page_shows_its_last_change(built_site):
    """(Its edit link, shown only when REPO_URL names the repository: tests/site/test_built_site.py.)"""
    for page in [DOCS / "index.md", *topic_pages()]:
        url = page.relative_to(DOCS).with_suffix("").as_posix().removesuffix("index")
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        assert re.search(r'Last changed\s*<time datetime="\d{4}-\d{2}-\d{2}">', html), page


def test_a_committed_page_is_dated_by_git():
    date, source = freshness().last_changed(DOCS / "component" / "circuit-breaker.md")
    assert source == "git" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)


def test_without_git_history_the_file_date_is_used(tmp_path):
    """A source tarball has no .git: the file's own date stands in."""
    page = tmp_path / "page.md"
    shutil.copy(DOCS / "index.md", page)
    os.utime(page, (1_699_963_200, 1_699_963_200))  # 2023-11-14 12:00 UTC: the same date in any time zone
    assert freshness().last_changed(page) == ("2023-11-14", "file")
