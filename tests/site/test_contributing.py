"""CONTRIBUTING.md stays true: every test and file it names exists, the Diagrams section
holds the visual vocabulary, and the README's "Adding a page" names the loop."""

import re

from pages import ROOT

TEXT = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def defined_tests() -> set[str]:
    return {m for p in (ROOT / "tests").rglob("test_*.py") for m in re.findall(r"^def (test_\w+)", p.read_text(), re.M)}


def test_every_test_it_names_exists():
    named = set(re.findall(r"\b(test_\w+)(?=[`\[:])", TEXT))
    assert named and not named - defined_tests(), sorted(named - defined_tests())


def test_every_file_it_names_exists():
    paths = set(re.findall(r"`((?:tests|scripts|hooks|docs)/[\w./-]+\.(?:py|md))", TEXT))
    # the page the loop and the table of errors are shown with
    examples = ("docs/component/retry.md", "docs/examples/retry/retry.py")
    missing = [p for p in paths if p not in examples and not (ROOT / p).exists()]
    assert paths and not missing, missing


def test_the_diagrams_section_holds_the_conventions_and_the_visual_vocabulary():
    diagrams = TEXT.split("\n## Diagrams\n", 1)[1].split("\n## ", 1)[0]
    for convention in ('A["x: y"]', "accTitle", "accDescr", "click", "make diagrams", "### Visual vocabulary"):
        assert convention in diagrams, convention
    # the six shapes of issue 16's vocabulary, each with its source and in the example
    example = diagrams.split("```mermaid\n", 1)[1].split("```", 1)[0]
    for shape in ("C(Client)", "[Orders service]", "[(PostgreSQL)]", "shape: h-cyl", "[[Payment API]]", "{In cache?}"):
        assert shape in example, shape


def test_the_page_bar_names_each_rule():
    for rule in ("1500 words", "3 mermaid diagrams", "runnable Python example", "100%", "6 primary references",
                 "3 related topics", "one-line reason", "versions, defaults and dates"):
        assert rule in TEXT, rule


def test_the_readme_names_the_loop_in_adding_a_page():
    adding = README.split("\n## Adding a page\n", 1)[1].split("\n## ", 1)[0]
    for step in ("make new-page SECTION=<section> SLUG=<slug>", "make serve", "make diagrams", "make check",
                 "make test", "CONTRIBUTING.md", "at least three slugs"):
        assert step in adding, step
