"""Theme overrides: blocks where Material has them, copies only where it has none,
and each copy held to the installed Material, so that an upgrade that changes a
copied template fails here instead of shipping the old copy.

overrides/main.html overrides Material's blocks (libs, scripts); hooks/theme_toggles.py
changes the two toggles of base.html, which no block holds; the partials below are
copies, each differing from Material's by exactly the changes their first comment
names. After a Material upgrade: re-copy the partial, re-apply the change, update CHANGES.
"""

import difflib
import re
from pathlib import Path

import material
import pytest
from mkdocs.exceptions import PluginError
from pages import ROOT

from theme_toggles import valid_toggles

MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"
HEADER = re.compile(r"\A(?:\{#-.*?-#\}\n)+", re.S)  # the comments a template starts with (Material's and ours)

# Copied partial -> its differences from Material's (difflib.ndiff lines: "- " Material's, "+ " ours).
CHANGES = {
    "partials/nav-item.html": [  # no empty tabindex=""; a section's toggle label names the section
        '-           {% set tabindex = "0" if not is_section %}',
        '-           <label class="md-nav__link" for="{{ path }}" id="{{ path }}_label" tabindex="{{ tabindex }}">',
        '+           <label class="md-nav__link" for="{{ path }}" id="{{ path }}_label" '
        '{% if not is_section %}tabindex="0"{% endif %}>',
        '-               {% set tabindex = "0" if not is_section %}',
        '-               <label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" '
        'tabindex="{{ tabindex }}">',
        '+               <label class="md-nav__link {{ class }}" for="{{ path }}" id="{{ path }}_label" '
        '{% if not is_section %}tabindex="0"{% endif %}>',
        '+                 <span class="visually-hidden">{{ nav_item.title | e }}</span>',
    ],
    "partials/palette.html": [  # Material's bundle does not mount its palette component on it
        '- <form class="md-header__option" data-md-component="palette">',
        '+ <form class="md-header__option" data-palette>',
    ],
    "partials/search.html": [  # the search dialog has an accessible name
        '- <div class="md-search" data-md-component="search" role="dialog">',
        '+ <div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t(\'search\') }}">',
    ],
}


def body(path: Path) -> list[str]:
    return HEADER.sub("", path.read_text(encoding="utf-8")).splitlines()


@pytest.mark.parametrize("name", CHANGES)
def test_each_copied_partial_is_materials_with_its_changes_only(name):
    changes = [line for line in difflib.ndiff(body(MATERIAL / name), body(OVERRIDES / name)) if line[:2] in ("- ", "+ ")]
    assert changes == CHANGES[name], f"overrides/{name} is no longer Material's with its changes: re-copy it"


def test_the_partial_before_materials_scripts_ends_with_materials_own():
    """partials/javascripts/base.html: the site's script, then Material's partial as installed."""
    ours = body(OVERRIDES / "partials/javascripts/base.html")
    assert ours[-1].strip() == "\n".join(body(MATERIAL / "partials/javascripts/base.html")).strip()
    assert ours[0] == "<script>" and 'classList.replace("no-js", "js")' in ours[1]


def test_no_other_template_is_a_copy():
    """base.html is overridden by blocks (main.html) and a hook, not copied."""
    copies = {p.relative_to(OVERRIDES).as_posix() for p in OVERRIDES.rglob("*.html")} & {
        p.relative_to(MATERIAL).as_posix() for p in MATERIAL.rglob("*.html")}
    assert copies == set(CHANGES) | {"main.html", "partials/javascripts/base.html", "partials/javascripts/palette.html",
                                     "partials/source-file.html", "partials/source.html"}
    assert not (OVERRIDES / "base.html").exists()


@pytest.mark.parametrize("page", ["index.html", "404.html", "component/raft/index.html"])
def test_built_pages_carry_the_changes_to_base_html(built_site, page):
    html = (built_site / page).read_text(encoding="utf-8")
    # the scripts block (main.html): Material's bundle, deferred
    assert re.search(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js" defer></script>', html)
    # the toggles (hooks/theme_toggles.py): no autocomplete on a checkbox; unchecked by a script instead
    assert 'id="__drawer">' in html and 'id="__search">' in html
    assert not re.search(r'<input[^>]*type="checkbox"[^>]*autocomplete', html)
    assert html.index('id="__search">') < html.index("t.checked=!1</script>") < html.index('class="md-overlay"')
    # the site's script runs before Material's first script of the page (partials/javascripts/base.html)
    assert html.index('classList.replace("no-js", "js")') < html.index("<script>__md_scope=") < html.index("</head>")


def test_toggles_written_otherwise_stop_the_build():
    """If an upgraded Material writes its toggles otherwise, the build names the page and the hook."""
    with pytest.raises(PluginError, match=r"^component/raft\.md: Material's drawer and search toggles are not as "
                                          r"hooks/theme_toggles\.py expects"):
        valid_toggles('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">', "component/raft.md")
