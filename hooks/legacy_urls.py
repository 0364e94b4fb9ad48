"""Let mkdocs-redirects keep the site's old `.html` addresses without a false warning.

The enqueuezero site served pages as `/<name>.html`. mkdocs-redirects writes a
redirect stub at exactly such a path when the `redirect_maps` key ends in
`.html` (it computes the stub's path the same way for any key), but it first
warns that the key "is not a valid markdown file", which `strict: true` turns
into a failed build. This filter drops that one message for `.html` keys only;
every other warning of the plugin (a missing target page, for instance) still
fails the build. tests/site/test_find_and_link.py checks every stub.
"""

import logging
import re

HTML_KEY = re.compile(r"^redirects plugin: '[^']+\.html' is not a valid markdown file!$")


class _HtmlKeys(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not HTML_KEY.match(record.getMessage())


logging.getLogger("mkdocs.plugin.redirects").addFilter(_HtmlKeys())
