"""hooks/editions.py defines the editions once; each config says the same, and the
Makefile asks it rather than naming configs itself."""

import subprocess
import sys

from mkdocs.config import load_config

from editions import EDITIONS, ROOT, edition_of


def test_each_config_builds_the_edition_that_editions_py_names():
    for name, edition in EDITIONS.items():
        config = load_config(str(ROOT / edition.config))
        assert edition_of(config) == name, edition.config
        assert config.site_dir == str(ROOT / edition.site_dir), edition.config


def test_the_makefile_asks_editions_py():
    def ask(*args):
        return subprocess.run([sys.executable, str(ROOT / "hooks" / "editions.py"), *args], capture_output=True, text=True)

    assert ask("config", "offline").stdout == "mkdocs-offline.yml\n"
    assert ask("site-dirs").stdout == "site site-offline site-pdf\n"
    wrong = ask("config", "paper")
    assert wrong.returncode == 2 and wrong.stderr.startswith("usage: editions.py config {web,offline,pdf}")
    makefile = (ROOT / "Makefile").read_text()
    assert "mkdocs-offline.yml" not in makefile and "mkdocs-pdf.yml" not in makefile
