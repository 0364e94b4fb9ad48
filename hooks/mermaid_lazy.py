"""Remove the <script type="module"> that mermaid2 appends to pages with diagrams.

mermaid2 sees only the diagrams not drawn before the build (hooks/diagrams.py
runs first and replaces the others with their SVG), so this matters while a
new diagram waits for `make diagrams`. mermaid2 writes
`import mermaid from "<relative path>"; mermaid.initialize({...})`. That
import is eager, is a bare specifier on the home page (a page error) and never
runs again after instant navigation. assets/javascripts/diagrams.mjs, loaded
on every page, draws such diagrams instead, and imports mermaid only when the
page has one. mermaid2 stays for its build-time check that the self-hosted
library exists.
"""

import re

MERMAID2_SCRIPT = re.compile(r'<script type="module">\s*import mermaid from "[^"]*";.*?</script>', re.S)


def on_post_page(output, page, config):
    return MERMAID2_SCRIPT.sub("", output)
