"""Legacy redirects, tags, glossary and the machine-readable indexes, read from a real build."""

import json
import re

import yaml
from pages import DOCS, ROOT, nav_topic_pages, topic_pages

CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)  # BaseLoader: ignore !ENV tags

# The addresses where these topics lived on enqueuezero, and where each must land.
LEGACY = {
    "airbnb-architecture.html": "organization/airbnb-architecture/",
    "layered-architecture.html": "connection/layered-architecture/",
    "concepts/back-pressure.html": "component/back-pressure/",
    "container.html": "component/container/",
    "concepts/circuit-breaker.html": "component/circuit-breaker/",
    "data-serialization.html": "component/data-serialization/",
    "load-balance.html": "component/load-balance/",
    "dns-load-balancing.html": "component/load-balance/",
    "in-memory-database.html": "component/in-memory-database/",
    "job-queue.html": "component/job-queue/",
    "load.html": "component/load/",
    "periodic-scheduler.html": "component/periodic-scheduler/",
    "raft-and-unreliable-network.html": "component/raft/",
    "raft-and-the-nature-of-time.html": "component/raft/",
    "raft-and-stream-paradigm.html": "component/raft/",
    "concepts/sharding.html": "component/sharding/",
    "concepts/time-consuming-jobs.html": "component/time-consuming-jobs/",
    "architecture/sqlalchemy.html": "software/sqlalchemy/",
    "architecture/apscheduler.html": "software/apscheduler/",
    "concrete-architecture/apscheduler.html": "software/apscheduler/",
}


def redirect_target(html: str) -> str:
    return re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)


def test_every_legacy_url_redirects_to_its_page(built_site):
    for old, new in LEGACY.items():
        stub = built_site / old
        assert stub.is_file(), f"no redirect at /{old}"
        depth = old.count("/")
        assert redirect_target(stub.read_text(encoding="utf-8")) == "../" * depth + new, old
        assert (built_site / new / "index.html").is_file(), f"/{old} redirects to a missing page /{new}"


def test_the_legacy_list_is_the_configured_one():
    plugins = {k: v for item in CONFIG["plugins"] if isinstance(item, dict) for k, v in item.items()}
    configured = plugins["redirects"]["redirect_maps"]
    assert {k: v.removesuffix(".md").replace("/index", "") + "/" for k, v in configured.items()} == LEGACY


def test_tags_are_from_the_vocabulary_and_each_is_used(topics_hook):
    used = set()
    for page in topic_pages():
        used |= set(topics_hook.read_meta(page, page.name)["tags"])
    assert used <= set(topics_hook.TAGS)
    assert set(topics_hook.TAGS) - used == set(), "declared tags that no page uses"


def test_tags_page_lists_every_tag(built_site, topics_hook):
    html = (built_site / "tags" / "index.html").read_text(encoding="utf-8")
    for tag in topics_hook.TAGS:
        assert f'id="tag:{tag}"' in html, tag


def test_glossary_lists_every_term_and_pages_carry_hover_definitions(built_site, topics_hook):
    terms = topics_hook.read_glossary(DOCS)
    assert len(terms) >= 5
    glossary = (built_site / "glossary" / "index.html").read_text(encoding="utf-8")
    for term in terms:
        assert f"<dt>{term}</dt>" in glossary or f">{term}</abbr></dt>" in glossary, term
    assert '<abbr title="' in (built_site / "component" / "load" / "index.html").read_text(encoding="utf-8")


def test_each_glossary_definition_is_a_markdown_block_of_its_own():
    # Appended to every page. Without the blank line, Python-Markdown rescans
    # the remaining definitions after each one: the build's Markdown took 2.8 s, not 1.0 s.
    lines = (DOCS / "_snippets" / "abbreviations.md").read_text(encoding="utf-8").splitlines()
    crowded = [n for n, line in enumerate(lines, 1) if line.startswith("*[") and n > 1 and lines[n - 2].strip()]
    assert crowded == [], f"docs/_snippets/abbreviations.md: add a blank line before line(s) {crowded}"


def test_topics_json_describes_every_topic(built_site, topics_hook):
    data = json.loads((built_site / "topics.json").read_text(encoding="utf-8"))["topics"]
    assert len(data) == len(topic_pages())
    for record, page in zip(data, nav_topic_pages()):
        meta = topics_hook.read_meta(page, page.name)
        assert record["title"] == meta["title"]
        assert record["description"] == meta["description"]
        assert record["tags"] == meta["tags"] and record["related"] == meta["related"]
        assert record["section"] == page.parent.name and record["slug"] == page.stem
        assert record["url"].endswith(f"/{page.parent.name}/{page.stem}/")


def test_llms_txt_links_every_topic(built_site):
    text = (built_site / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# Architecture Notes\n\n> ")
    for page in topic_pages():
        assert f"/{page.parent.name}/{page.stem}/): " in text, page
