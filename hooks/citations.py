"""The References list that Python-Markdown's footnotes extension writes, made readable.

A citation is written `[^key]` and its entry `[^key]: ...` under the page's
References heading (CONTRIBUTING.md, "Citations"; tests/site/test_citations.py
checks that every citation has an entry and every entry is cited). The
extension numbers the entries in the order they are written and links each
citation to its entry; a citation shows its entry as a tooltip on hover
(assets/javascripts/a11y.mjs sets its title on first hover or focus).

Two things here:

* The entry links back to every place that cites it, each link an arrow
  with the same title. A source cited twelve times ended in twelve identical
  arrows. Here a single back link stays an arrow; several become "↩a b c
  ...", like an encyclopedia's, each named for screen readers by the
  citation it returns to (site.css shows the letters; like Material's
  arrows, they appear when the entry is hovered, focused or jumped to).
* The extension puts a rule (<hr>) above the list, to set notes apart from
  the text; under a References heading it is one line too many.
"""

from __future__ import annotations

import itertools
import re
import string

ENTRY = re.compile(r'(<li id="fn:[^"]+">.*?)</li>', re.S)
BACKREF = re.compile(
    r'<a class="footnote-backref" href="#(fnref\d*:[^"]+)" title="Jump back to footnote (\d+) in the text">&#8617;</a>')
RULE = '<div class="footnote">\n<hr />'


def label_backrefs(entry: re.Match) -> str:
    html = entry[1]
    links = list(BACKREF.finditer(html))  # consecutive, at the end of the entry's last paragraph
    if len(links) < 2:
        return entry[0]
    labelled = " ".join(
        f'<a class="footnote-backref" href="#{link[1]}" aria-label="Back to citation {link[2]}{letter} in the text">{letter}</a>'
        for link, letter in zip(links, letters())
    )
    return f"{html[:links[0].start()]}{labelled}{html[links[-1].end():]}</li>"


def letters():
    """a, b, ..., z, aa, ab, ...: as many labels as a source has citations."""
    for size in range(1, 3):
        for letter in itertools.product(string.ascii_lowercase, repeat=size):
            yield "".join(letter)


def on_page_content(html, page, config, files):
    if RULE not in html:
        return html
    html = html.replace(RULE, '<div class="footnote">', 1)
    return ENTRY.sub(label_backrefs, html)
