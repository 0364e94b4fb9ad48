"""Page HTML shaped so that Material's startup costs a phone less.

On a phone, most of a topic page's Lighthouse blocking time is Material's
bundle starting: it mounts a component on each code block and table, and
after every change that may affect much of the page, its next read of a
size or a scroll offset waits for Chromium to restyle. Traces at 4x CPU
slowdown and Lighthouse runs found such costs in the page's own HTML, and
this hook shapes the HTML against them (1-3); the fourth change is for
screen readers. Two change what a reader sees, and say so below: punctuation and operators in code take the code's colour (1), and
the ¶ after a heading has no tooltip (4). With the tables wrapped (2), every
heading, table and code block keeps its position and size at 412 and 1280 px.

1. Pygments wraps every token of a code listing in a <span class="...">.
   Two of those classes have no colour of their own in this theme: "n" (a
   plain name; Material colours it --md-code-hl-name-color, which is
   --md-code-fg-color, the colour of the code block itself) and "w"
   (whitespace; no rule at all). Two more, "p" (punctuation) and "o"
   (operator), were a lighter grey than the code; they now take the code's
   own colour, a deliberate change of look (as in GitHub's themes), and lose
   their spans too. On data-serialization, "p" and "o" spans were 565 of the
   page's 1,820 elements; unwrapped, the page has 1,255. Unwrapped, the text, the copy
   button's text and the search index (built from the text) are the same.
   The class names are Pygments' own: nothing else on the site writes a span
   with exactly class="n", "w", "p" or "o" into page content (the diagrams'
   <span class="p"> arrive later, in on_post_page), and Pygments never nests
   tags inside a token's span.

2. Material wraps each table of an article in two <div>s (its horizontal
   scroll container) at startup, and moving the table into them made
   Chromium restyle and lay it out again inside that long task. On
   circuit-breaker (one table, 95 cells), Lighthouse's mobile blocking time
   was 315-385 ms with the wrapping done by Material and 208-211 ms with it
   done here (3 runs each, twice). Each Markdown table arrives inside the
   same two <div>s, with class="article-table", which Material's bundle
   skips (it wraps table:not([class])); site.css gives that class
   Material's own table rules.

3. Every glossary term (docs/_snippets/abbreviations.md) becomes an <abbr>
   with its definition wherever it occurs. A term keeps its <abbr>, and so
   its hover definition and dotted underline, at its first use on the page;
   later uses are plain text, as style guides ask of an abbreviation spelled
   out once. The glossary page lists every definition. (While the site used
   Material's content.tooltips, each <abbr> also cost a tooltip mounted and
   measured at startup: on data-serialization, 138 of them, and Material's
   DOMContentLoaded task took 415-600 ms at 4x CPU slowdown against 249-263
   ms with one <abbr> per term, 3 traces each.)

4. The permalink after each heading (Python-Markdown's toc: the "¶") has
   title="Permanent link". The title becomes an aria-label: a screen reader
   names the link "Permanent link" (before, its name was its text, "¶"), and
   hovering the ¶ shows no tooltip. The link, its target and its look are
   unchanged.
"""

import re

PLAIN_TOKEN = re.compile(r'<span class="[nwpo]">([^<]*)</span>')
ARTICLE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # Markdown tables: no attributes, never nested
GLOSSARY_TERM = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr>')
PERMALINK_TITLE = re.compile(r'(<a class="headerlink" href="#[^"]*") title="([^"]*)"')


def unwrap_plain_tokens(html: str) -> str:
    return PLAIN_TOKEN.sub(r"\1", html)


def wrap_tables(html: str) -> str:
    """Each Markdown table inside the two <div>s Material 9.8.2's bundle puts a
    table:not([class]) in at startup."""
    return ARTICLE_TABLE.sub(
        r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        r'<table class="article-table">\1</table></div></div>',
        html,
    )


def define_terms_once(html: str) -> str:
    seen = set()

    def first_use_only(m: re.Match) -> str:
        term = m.group(1)
        if term in seen:
            return term
        seen.add(term)
        return m.group(0)

    return GLOSSARY_TERM.sub(first_use_only, html)


def label_permalinks(html: str) -> str:
    return PERMALINK_TITLE.sub(r'\1 aria-label="\2"', html)


def on_page_content(html, page, config, files):
    return label_permalinks(define_terms_once(wrap_tables(unwrap_plain_tokens(html))))
