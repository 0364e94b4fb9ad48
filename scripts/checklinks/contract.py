"""This project's URL contract (urls.txt beside mkdocs.yml; scripts/url_contract.py): what a build must keep serving."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.structure.files import Files

from .builtsite import Site
from .findings import Finding


def check_contract(config, site: Site, files: Files) -> list[Finding]:
    """Each published page, anchor or file that the build no longer serves, at its
    line of urls.txt; nothing for a project without a contract."""
    config_file = Path(config.config_file_path)
    contract = config_file.with_name("urls.txt")
    if config_file.name != "mkdocs.yml" or not contract.is_file():
        return []
    import url_contract  # scripts/, beside check_links.py: only this project has a contract

    docs = Path(os.path.relpath(config.docs_dir, config_file.parent)).as_posix()
    sources = {"/" + f.url: f"{docs}/{f.src_uri}" for f in files.documentation_pages()}
    broken = url_contract.check(contract, site.root, lambda path: site.parsed(path).ids, sources)
    return [Finding(contract.name, f.line, f.entry, f.kind, f.message) for f in broken]
