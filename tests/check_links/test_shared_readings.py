"""The checker reads two formats that this site's own code reads too: a MkDocs
nav, and mermaid `click` lines. scripts/checklinks keeps its own readers, since
it is a tool for any MkDocs project (a zipapp that runs on Python 3.10, without
this site's package); these tests hold the two readings of each to one answer.
"""

from __future__ import annotations

from mkdocs.config import load_config
from runs import ROOT

from archnotes.diagram_data import click_links
from archnotes.nav import nav_uris
from checklinks.config_checks import nav_entries
from checklinks.pages import mermaid_click_urls

NAVS = [
    ["index.md", {"Guide": ["a.md", {"B": "b.md"}, ["c.md"]]}, {"Site": "https://example.org/"}],
    [],
    None,
]
DIAGRAM = """flowchart TB
  A --> B
  click A href "component/raft.md#terms" "Raft"
  click B "../sharding/"
  click C callback
  click D href "https://example.org/x"
"""


def test_both_readers_walk_a_nav_alike():
    for nav in [*NAVS, load_config(str(ROOT / "mkdocs.yml"))["nav"]]:
        assert nav_entries(nav) == nav_uris(nav)


def test_both_readers_find_the_same_click_links():
    assert mermaid_click_urls(DIAGRAM) == click_links(DIAGRAM) == [
        "component/raft.md#terms", "../sharding/", "https://example.org/x"]
