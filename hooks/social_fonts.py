"""Let Material's social plugin draw preview cards with no network access.

The plugin looks for its card font in <cache_dir>/fonts/<family>/<Style>.ttf and
downloads the family from Google Fonts only when that folder is missing (a
failed download aborts the build). Before any card is drawn, this fills the
folder from the PyPI package `font-roboto` (Apache-2.0), pinned in
requirements.txt, so the build never needs fonts.google.com.

Internal layout of mkdocs-material 9.8.x (plugins/social/plugin.py,
_resolve_font), which is why mkdocs-material is pinned with ==. If it changes,
the build fails loudly with a ConnectionError rather than silently.
"""

from pathlib import Path

import font_roboto

# The default card layout asks for exactly these two styles (title and site
# name in Bold, description in Regular). Roboto is its family when theme.font
# names none (ours is `false`).
FAMILY = "Roboto"
STYLES = {"Regular": "Roboto-Regular.ttf", "Bold": "Roboto-Bold.ttf"}


def on_config(config):
    social = config.plugins.get("material/social")
    if social is None or not social.config.enabled:
        return
    # The plugin makes cache_dir absolute in its own on_config (which runs
    # first: hooks come after plugins); resolve it here too in case it didn't.
    cache_dir = Path(config.config_file_path).parent / social.config.cache_dir
    target = cache_dir / "fonts" / FAMILY
    target.mkdir(parents=True, exist_ok=True)
    source = Path(font_roboto.__file__).parent / "files"
    for style, name in STYLES.items():
        # Refill on every build: a folder that exists without the files makes
        # the plugin recurse forever looking for a fallback style.
        dest = target / f"{style}.ttf"
        if not dest.is_file():
            dest.write_bytes((source / name).read_bytes())
