"""Build a MkDocs site from Python exactly as `mkdocs build` does.

mkdocs.commands.build.build() alone skips the plugins' on_startup and
on_shutdown events, which `mkdocs build` sends; Material's social plugin, for
one, creates its worker pools in on_startup. Scripts and tests that build the
site call this instead.
"""

from __future__ import annotations

from pathlib import Path


def build(config_file: Path | str, site_dir: Path | str, **overrides) -> None:
    """Build config_file into site_dir; overrides are config keys (strict, site_url, ...)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
