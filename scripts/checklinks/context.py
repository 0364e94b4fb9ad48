"""What every step of one check shares: the config, the docs files, the built site, sources read once."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from mkdocs.structure.files import File, Files

from .builtsite import Site
from .source import Source, config_scalar_lines, read_markdown, read_source


@dataclass(eq=False)  # hashed by identity, for its cached look-ups
class Context:
    config: object
    files: Files
    site: Site
    config_name: str
    redirect_maps: dict
    sources: dict[str, Source | None] = field(default_factory=dict)
    texts: dict[str, tuple[str, int] | None] = field(default_factory=dict)
    config_lines: dict[str, dict[str, list[int]]] = field(default_factory=dict)

    def source(self, file: File) -> Source | None:
        if file.src_uri not in self.sources:
            self.sources[file.src_uri] = read_source(self.config, file)
        return self.sources[file.src_uri]

    @functools.cached_property
    def by_folded_src(self) -> dict[str, File]:
        """Docs files by lowercased path, to tell a case mismatch from a missing file."""
        return {f.src_uri.lower(): f for f in self.files}

    @functools.cache  # noqa: B019  (one Context per run: it lives as long as the cache would)
    def included_sources(self, pages: bool) -> list[str]:
        """Paths of the docs pages (pages=True) or other docs files in the build:
        what a suggestion is chosen from."""
        return [f.src_uri for f in self.files if f.inclusion.is_included() and f.is_documentation_page() == pages]

    def markdown(self, file: File) -> tuple[str, int] | None:
        """The page's Markdown and where its body starts (source.read_markdown);
        None if it cannot be read (rendering it says why)."""
        if file.src_uri not in self.texts:
            try:
                self.texts[file.src_uri] = read_markdown(file)
            except (OSError, UnicodeDecodeError, ValueError):
                self.texts[file.src_uri] = None
        return self.texts[file.src_uri]

    def config_line(self, section: str, *values: str) -> int | None:
        """Line of the config file where one of the values is written under a
        top-level key (read only when there is a finding to place)."""
        if section not in self.config_lines:
            self.config_lines[section] = config_scalar_lines(self.config.config_file_path, section)
        lines = self.config_lines[section]
        return next((lines[v][0] for v in values if v in lines), None)
