"""scripts/new_page.py (make new-page): a page that builds at once, its example, output,
test and nav entry; a taken slug or an unknown section refused in one line, nothing written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archnotes.nav import SECTIONS
from copy_project import MAKE, copy_project

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def free_slug(stem: str = "retry") -> str:
    """A slug no section has yet: these tests must pass whatever pages writers add."""
    taken = {p.stem for s in SECTIONS for p in (ROOT / "docs" / s).glob("*.md")}
    return next(slug for slug in [stem] + [f"{stem}-{n}" for n in range(2, 100)] if slug not in taken)


def section_entries(project, section: str) -> list[str]:
    return [line.strip()[2:] for line in (project / "mkdocs.yml").read_text().splitlines()
            if line.strip().startswith(f"- {section}/") and not line.strip().endswith("/index.md")]


def title_of(project, uri: str) -> str:
    return next(line[7:] for line in (project / "docs" / uri).read_text().splitlines() if line.startswith("title: "))


@pytest.fixture
def small(tmp_path):
    """What new_page.py reads: hooks, templates, the nav and the written topics."""
    for name in ("hooks", "scripts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path)
    for name in ("_templates", "organization", "connection", "component", "software"):
        shutil.copytree(ROOT / "docs" / name, tmp_path / "docs" / name)
    (tmp_path / "tests" / "examples").mkdir(parents=True)
    return tmp_path


def new_page(project, *args):
    done = subprocess.run([sys.executable, str(project / "scripts" / "new_page.py"), *args], cwd=project,
                          capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def files(project) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.rglob("*") if p.is_file()}


def test_writes_the_page_its_example_output_test_and_nav_entry(small):
    slug, name = free_slug(), free_slug().replace("-", "_")
    before = section_entries(small, "component")
    code, out, err = new_page(small, "component", slug)
    assert code == 0, err
    page = (small / "docs" / "component" / f"{slug}.md").read_text()
    title = slug.replace("-", " ").capitalize()
    assert page.startswith("---\n# Only these four keys") and f"\ntitle: {title}\n" in page and f"\n# {title}\n" in page
    related = before[::-1][:3]  # the three topics before it in the nav, for the writer to choose
    assert f"related: [{', '.join(r[len('component/'):-3] for r in related)}]" in page
    first = related[0][len("component/"):]
    assert f"- [{title_of(small, related[0])}]({first}): one line on why it is related." in page
    assert f'--8<-- "examples/{slug}/{name}.py:core"' in page and f'--8<-- "examples/{slug}/{name}.out"' in page
    assert (small / "docs" / "examples" / slug / f"{name}.out").read_text() == f"{title}: replace this with the page's example\n"
    assert f'EXAMPLE = "{slug}/{name}.py"' in (small / "tests" / "examples" / f"test_{name}.py").read_text()
    assert section_entries(small, "component") == before + [f"component/{slug}.md"]
    nav = (small / "mkdocs.yml").read_text().splitlines()
    assert nav[nav.index(f"      - component/{slug}.md") + 1] == "  - Software:"
    assert out.splitlines()[0] == f"wrote docs/component/{slug}.md"


def test_a_page_of_another_section_gets_that_sections_template(small):
    slug = free_slug("celery")
    code, _, err = new_page(small, "software", slug)
    assert code == 0, err
    assert "## Component map { #component-map }" in (small / "docs" / "software" / f"{slug}.md").read_text()
    assert f"      - software/{slug}.md" in (small / "mkdocs.yml").read_text()


@pytest.mark.parametrize("args, message", [
    (("component", "raft"), "new_page: slug 'raft' is taken: docs/component/raft.md exists"),
    (("software", "raft"), "new_page: slug 'raft' is taken: docs/component/raft.md exists"),
    (("compnent", "a-new-slug"),
     "new_page: unknown section 'compnent' (sections: organization, connection, component, software)"),
    (("component", "Retry_Policy"),
     "new_page: slug 'Retry_Policy' must be lowercase words and digits joined by hyphens: it is the page's URL"),
    (("", ""), "new_page: usage: make new-page SECTION=<section> SLUG=<slug>"),
    (("component",), "new_page: usage: make new-page SECTION=<section> SLUG=<slug>"),
], ids=["taken", "taken-elsewhere", "unknown-section", "bad-slug", "empty", "one-argument"])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(small, args, message):
    before = files(small)
    code, out, err = new_page(small, *args)
    assert code == 2 and out == ""
    assert err == message + "\n"
    assert files(small) == before


def test_in_the_project_the_new_page_builds_its_test_passes_and_the_nav_counts_it(tmp_path):
    """make new-page in a copy of the project: the preview build passes, the strict build
    names the diagrams to draw by file and line, the page's tests run."""
    project = copy_project(tmp_path)
    slug = free_slug()
    done = subprocess.run([*MAKE, "new-page", "SECTION=component", f"SLUG={slug}"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    loose = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(tmp_path / "s1")],
                           cwd=project, capture_output=True, text=True, env=ENV)
    assert loose.returncode == 0, loose.stderr
    assert (tmp_path / "s1" / "component" / slug / "index.html").is_file()
    assert f"docs/component/{slug}.md:14: diagram 1 of /component/{slug}/ is not drawn yet" in loose.stderr
    map_line = (ROOT / "docs" / "index.md").read_text(encoding="utf-8").splitlines().index("<!-- topics:map -->") + 1
    assert f"docs/index.md:{map_line}: diagram 1 of / is not drawn yet" in loose.stderr  # the home map has a new box
    name = slug.replace("-", "_")
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "--no-cov", f"tests/examples/test_{name}.py",
                            "tests/site/test_pages.py", "-k", f"{name} or {slug} or nav"],
                           cwd=project, capture_output=True, text=True)
    failed = {line.split(" - ")[0].removeprefix("FAILED ") for line in tests.stdout.splitlines() if line.startswith("FAILED")}
    # Not written yet: the bar and the template text fail, naming the page; the rest passes.
    assert f"tests/site/test_pages.py::test_meets_the_bar[component/{slug}.md]" in failed, tests.stdout
    assert f"tests/site/test_pages.py::test_no_template_text_is_left[component/{slug}.md]" in failed
    assert not [f for f in failed if f"component/{slug}.md" not in f], tests.stdout
    assert "passed" in tests.stdout
