"""Page HTML shaped so that Material's startup restyles less of the page.

On a phone, most of a topic page's Lighthouse blocking time is Chromium
restyling elements while Material's bundle starts: after every change that
may affect the whole page, the bundle's next read of a size or a scroll
offset waits for the restyle. Traced at 4x CPU slowdown, two such costs
came from the page's own HTML, and this hook removes both. Neither changes
what a reader sees (layout compared at 412 and 1280 px: identical).

1. Pygments wraps every token of a code listing in a <span class="...">.
   Two of those classes have no colour of their own in this theme: "n" (a
   plain name; Material colours it --md-code-hl-name-color, which is
   --md-code-fg-color, the colour of the code block itself) and "w"
   (whitespace; no rule at all). They are about a third of a topic page's
   code spans, and the code is about two thirds of its elements. Unwrapped,
   the text, its colour, the copy button's text and the search index (built
   from the text) are the same. The class names are Pygments' own: nothing
   else on the site writes a span with exactly class="n" or class="w", and
   Pygments never nests tags inside a token's span.

2. Material wraps each table of an article in two <div>s (its horizontal
   scroll container). Inserting them next to the article's other children
   made Chromium restyle the whole article (its sibling rules), 40-70 ms of
   one long task. A table that already sits alone in a plain <div> gets
   Material's wrappers inside that <div>, where they have no siblings. The
   <div> has no class rules, no margin or padding, so margins collapse
   through it as before.
"""

import re

PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')
ARTICLE_TABLE = re.compile(r"<table>.*?</table>", re.S)  # Markdown tables: no attributes, never nested


def unwrap_plain_tokens(html: str) -> str:
    return PLAIN_TOKEN.sub(r"\1", html)


def house_tables(html: str) -> str:
    return ARTICLE_TABLE.sub(lambda m: f'<div class="table-host">{m.group(0)}</div>', html)


def on_page_content(html, page, config, files):
    return house_tables(unwrap_plain_tokens(html))
