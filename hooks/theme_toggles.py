"""Material's drawer and search toggles, as valid HTML (Nu HTML Checker).

Material's base.html writes two checkboxes with autocomplete="off", which the
HTML standard does not allow on a checkbox. Material sets it so that Firefox
does not restore a toggle that was checked (drawer or search open) on reload
or back. Here they lose the attribute, and a one-line script right after them
unchecks both instead, before Material's bundle reads them.

base.html has no block around them, so this changes the page Material wrote
(every page, and the 404 page, which MkDocs renders as a template) rather than
keep a copy of all of base.html. If Material writes them differently, the
build stops here with the page's name: see what changed, and change TOGGLES.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

TOGGLES = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
    '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">\n'
)
VALID_TOGGLES = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
    '    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search">\n'
    '    <script>for(const t of document.querySelectorAll("input.md-toggle[data-md-toggle]"))t.checked=!1</script>\n'
)


def valid_toggles(html: str, where: str) -> str:
    if html.count(TOGGLES) != 1:
        raise PluginError(f"{where}: Material's drawer and search toggles are not as hooks/theme_toggles.py expects "
                          "(was Material upgraded?): see what its base.html writes now, and change TOGGLES")
    return html.replace(TOGGLES, VALID_TOGGLES)


# First: mermaid2 (on a page with a diagram not drawn yet) parses the page with
# BeautifulSoup and writes it out again, which changes how the toggles read.
@event_priority(100)
def on_post_page(output, page, config):
    return valid_toggles(output, page.file.src_uri)


def on_post_template(output_content, template_name, config):
    return valid_toggles(output_content, template_name) if template_name == "404.html" else output_content
