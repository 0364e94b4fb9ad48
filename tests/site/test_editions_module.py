"""src/archnotes/editions.py defines the editions once; each config says the same, and the
Makefile asks it rather than naming configs itself. The files that cannot import the package
name the vendored mermaid it names (src/archnotes/mermaid.py)."""

import subprocess
import sys

from mkdocs.config import load_config

from archnotes import mermaid
from archnotes.editions import EDITIONS, ROOT, edition_of


def test_each_config_builds_the_edition_that_editions_py_names():
    for name, edition in EDITIONS.items():
        config = load_config(str(ROOT / edition.config))
        assert edition_of(config) == name, edition.config
        assert config.site_dir == str(ROOT / edition.site_dir), edition.config


def test_the_makefile_asks_editions_py():
    def ask(*args):
        script = ROOT / "src" / "archnotes" / "editions.py"
        return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True)

    assert ask("config", "offline").stdout == "mkdocs-offline.yml\n"
    assert ask("site-dirs").stdout == "site site-offline site-pdf\n"
    wrong = ask("config", "paper")
    assert wrong.returncode == 2 and wrong.stderr.startswith("usage: editions.py config {web,offline,pdf}")
    makefile = (ROOT / "Makefile").read_text()
    assert "mkdocs-offline.yml" not in makefile and "mkdocs-pdf.yml" not in makefile


def test_the_config_and_the_browser_load_the_vendored_mermaid_that_the_package_names():
    """mkdocs.yml (mermaid2's check that the file exists) and diagram-live.mjs (which imports it,
    relative to its own folder) cannot import src/archnotes/mermaid.py: they name ENTRY themselves."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.plugins["mermaid2"].config["javascript"] == mermaid.ENTRY
    live = (ROOT / "docs" / "assets" / "javascripts" / "diagram-live.mjs").read_text(encoding="utf-8")
    folder = "assets/javascripts/"
    assert f'new URL("{mermaid.ENTRY.removeprefix(folder)}", import.meta.url)' in live
    assert (ROOT / "docs" / mermaid.ENTRY).is_file() and (ROOT / "docs" / mermaid.UMD).is_file()
