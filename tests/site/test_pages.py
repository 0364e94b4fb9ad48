"""Every topic page against its template, its front matter and the bar of GUIDE.md.

Failures name the file and the field or section, so a writer knows what to fix.
"""

import pytest

from pages import (
    TEMPLATE_OF_SECTION, TEMPLATES, count_diagrams, count_snippets, first_paragraph,
    h2_headings, linked_slugs, prose_words, reference_urls, section, topic_pages,
)

PAGES = topic_pages()
IDS = [p.relative_to(p.parents[1]).as_posix() for p in PAGES]


@pytest.fixture(scope="module")
def metas(topics_hook):
    return {p: topics_hook.read_meta(p, p.name) for p in PAGES}


def test_every_topic_of_the_seed_is_a_page():
    assert len(PAGES) == 16, IDS


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
    """GUIDE.md: 1500 words of prose, 3 diagrams, an included example, 6 references."""
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
