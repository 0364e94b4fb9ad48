"""Drop the Pygments spans that change nothing on screen from code listings.

Pygments wraps every token of a listing in a <span class="...">. Two of
those classes have no colour of their own in this theme: "n" (a plain name;
Material colours it --md-code-hl-name-color, which is --md-code-fg-color,
the colour of the code block itself) and "w" (whitespace; no rule at all).
They are about a third of a topic page's code spans, and a topic page's code
is about two thirds of its elements. Each element costs the reader's browser
time on every full restyle, and Material's bundle restyles the whole page
several times at startup (its palette sets attributes on <body> and adds
<meta name="color-scheme">), which is most of the blocking time Lighthouse
measures on a phone. Unwrapping them leaves the same text in the same colour,
the same copy-button text and the same search index (built from the text).

The class names are Pygments' own: nothing else on the site writes a span
with exactly class="n" or class="w", and Pygments never nests tags inside a
token's span.
"""

import re

PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def on_page_content(html, page, config, files):
    return PLAIN_TOKEN.sub(r"\1", html)
