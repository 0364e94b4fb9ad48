"""Every topic page against its template, its front matter and the page bar of CONTRIBUTING.md.

Failures name the file and the field or section, so a writer knows what to fix.
"""

import re

import pytest
from pages import (
    DOCS,
    TEMPLATE_OF_SECTION,
    TEMPLATES,
    count_diagrams,
    count_snippets,
    first_paragraph,
    h2_headings,
    linked_slugs,
    nav_topics,
    prose_words,
    reference_urls,
    section,
    topic_pages,
)

PAGES = topic_pages()
IDS = [p.relative_to(p.parents[1]).as_posix() for p in PAGES]


@pytest.fixture(scope="module")
def metas(topics_hook):
    return {p: topics_hook.read_meta(p, p.name) for p in PAGES}


def test_every_written_topic_is_in_the_nav_and_every_nav_topic_is_written():
    """Counted from nav, never a constant: `make new-page` adds both."""
    written = [p.relative_to(DOCS).as_posix() for p in PAGES]
    assert sorted(nav_topics()) == written


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_front_matter_matches_schema(page, topics_hook, metas):
    topics_hook.check_front_matter(page.name, metas[page], topics_hook.TOPIC_KEYS)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_sections_follow_the_template(page):
    template = TEMPLATES / f"{TEMPLATE_OF_SECTION[page.parent.name]}.md"
    assert h2_headings(page) == h2_headings(template), f"{page}: H2 sections differ from {template.name}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_opens_with_its_description(page, metas):
    assert first_paragraph(page).startswith(metas[page]["description"]), (
        f"{page}: the first paragraph must begin with front-matter 'description'"
    )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_related_section_agrees_with_front_matter(page, metas):
    listed = linked_slugs(section(page, "related-topics"))
    assert sorted(listed) == sorted(metas[page]["related"]), (
        f"{page}: 'Related topics' links {sorted(listed)} but front-matter 'related' is {sorted(metas[page]['related'])}"
    )
    assert len(listed) >= 3, f"{page}: at least three related topics"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_meets_the_bar(page):
    """CONTRIBUTING.md: 1500 words of prose, 3 diagrams, an included example, 6 references."""
    short = []
    if (words := prose_words(page)) < 1500:
        short.append(f"{words} words of prose (need 1500)")
    if (diagrams := count_diagrams(page)) < 3:
        short.append(f"{diagrams} mermaid diagrams (need 3)")
    if count_snippets(page) < 1:
        short.append("no example included from docs/examples/")
    if (refs := len(reference_urls(page))) < 6:
        short.append(f"{refs} references with links (need 6)")
    assert not short, f"{page}: " + "; ".join(short)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_each_related_topic_says_why_in_one_line(page):
    """CONTRIBUTING.md: at least three related topics, each with a one-line reason."""
    items = [line for line in section(page, "related-topics").splitlines() if line.startswith("- [")]
    bare = [item for item in items if len(item.split("):", 1)[-1].split()) < 4 or "):" not in item]
    assert not bare, f"{page}: give each related topic a one-line reason after the link: {bare}"


# What docs/_templates and scripts/new_page.py put in a page for its writer to replace.
TEMPLATE_TEXT = (
    "One sentence, at most 160 characters, that is also the first sentence",
    "one line on why it is related",
    "https://example.org/primary-source",
    "Replace this stub",
)


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_no_template_text_is_left(page):
    text = page.read_text(encoding="utf-8")
    examples = [DOCS / m for m in re.findall(r'--8<-- "(examples/[^":]+)', text)]
    left = [t for t in TEMPLATE_TEXT if t in text or any(t in e.read_text(encoding="utf-8") for e in examples if e.is_file())]
    assert not left, f"{page}: replace the template's text: {left}"
