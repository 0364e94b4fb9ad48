"""How a static web server resolves a URL against the files of a build (exact case, folders, fragments)."""

from __future__ import annotations

import functools
import os
import posixpath
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from mkdocs.structure.files import Files

from .pages import HtmlPage, Link, diagram_links, parse_file


@dataclass
class Target:
    """Where a URL leads: nowhere to check, another site, or a path in this site."""

    where: str  # skip | external | internal
    path: str = ""  # site path; '' is the home page, a trailing '/' a folder
    fragment: str = ""
    above_root: bool = False  # climbed above the site root with '..'
    url: str = ""  # external URL without fragment


class Site:
    """The files of a build, looked up as a case-sensitive web server would."""

    def __init__(self, site_dir: Path, config, files: Files) -> None:
        self.root = site_dir
        self.paths, self.dirs = walk_site(site_dir)
        # Lowercase look-up, to tell a case mismatch from a missing file.
        self.folded = {p.lower(): p for p in self.paths}
        self.files = files
        self.by_url = {f.url: f for f in files}
        self.diagram_links = diagram_links(site_dir)
        site_url = config.site_url or ""
        parts = urlsplit(site_url)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        self._parsed: dict[str, HtmlPage] = {}

    @functools.cached_property
    def page_urls(self) -> list[str]:
        """URLs of the HTML files, folder URLs for index.html: suggestions for a missing page."""
        return sorted({url_of_served(p) for p in self.paths if p.endswith(".html")})

    @functools.cached_property
    def sorted_paths(self) -> list[str]:
        return sorted(self.paths)

    def parsed(self, path: str) -> HtmlPage:
        if path not in self._parsed:
            self._parsed[path] = self._with_diagrams(path, parse_file(self.root / path, self.diagram_links is None))
        return self._parsed[path]

    def _with_diagrams(self, path: str, page: HtmlPage) -> HtmlPage:
        """The links of the page's diagrams: their `click` lines (diagrams.json), and
        each other link inside their drawings once (a drawing comes in two palettes)."""
        clicks = (self.diagram_links or {}).get(path, [])
        page.links += [Link(url) for url in clicks]
        page.links += [Link(url) for url in dict.fromkeys(page.drawn) if url not in clicks]
        return page

    def parse_all(self, paths: list[str]) -> None:
        """Parse many pages at once, on every core where processes fork cheaply
        (Linux): parsing HTML is most of the time of a check of a large site.
        Below PARALLEL_BYTES of HTML, starting the processes costs more than
        it saves (this site's 3 MB: 0.35 s in one process, 0.45 s in two)."""
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        if cores < 2 or not sys.platform.startswith("linux"):
            return
        if sum((self.root / p).stat().st_size for p in paths) < PARALLEL_BYTES:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(min(cores, 4), mp_context=multiprocessing.get_context("fork")) as pool:
            parse = functools.partial(parse_file, clicks=self.diagram_links is None)
            pages = pool.map(parse, [self.root / p for p in paths], chunksize=max(1, len(paths) // (4 * cores)))
            self._parsed.update((p, self._with_diagrams(p, page)) for p, page in zip(paths, pages))

    def served(self, path: str) -> str | None:
        """The file a server sends for a site path, or None (exact case)."""
        if path == "" or path.endswith("/"):
            index = path + "index.html"
            return index if index in self.paths else None
        if path in self.paths:
            return path
        # A folder without its slash: servers redirect to the folder's index.
        if path in self.dirs and path + "/index.html" in self.paths:
            return path + "/index.html"
        return None

    def served_ignoring_case(self, path: str) -> str | None:
        for candidate in (path + "index.html", path, path + "/index.html"):
            if candidate.lower() in self.folded:
                return self.folded[candidate.lower()]
        return None

    def locate(self, href: str, page_dir: str, page_path: str) -> Target:
        """Resolve a URL found on the page at page_path (in folder page_dir)."""
        href = href.strip()
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not scheme and parts.netloc:  # '//host/path' keeps the page's scheme: assume https
            parts, scheme = parts._replace(scheme="https"), "https"
        if scheme in ("http", "https"):
            inside = self.inside_site(parts)
            if inside is None:
                return Target("external", url=urlunsplit(parts._replace(fragment="")))
            return self._internal(inside, fragment)
        if scheme:  # mailto:, tel:, data:, javascript: ... nothing to fetch
            return Target("skip")
        if not path:  # '#fragment', '?query' or '': this very page
            return Target("internal", page_path, fragment)
        if path.startswith("/"):
            inside = self.inside_site(parts._replace(scheme="", netloc=""))
            if inside is None:  # an absolute link that leaves the site's folder
                return Target("internal", path.lstrip("/"), fragment, above_root=True)
            return self._internal(inside, fragment)
        return self._internal(posixpath.join(page_dir, path), fragment)

    def inside_site(self, parts) -> str | None:
        """The site path of an absolute URL that points into this site, else None."""
        if parts.netloc and f"{parts.scheme}://{parts.netloc}".lower() != self.origin:
            return None
        path = unquote(parts.path) or "/"
        if not (path + "/").startswith(self.prefix):
            return None
        return path[len(self.prefix):]

    @staticmethod
    def _internal(joined: str, fragment: str) -> Target:
        folder = joined == "" or joined.endswith(("/", "/.", "/..")) or joined in (".", "..")
        norm = posixpath.normpath(joined) if joined else "."
        above = norm == ".." or norm.startswith("../")
        while norm == ".." or norm.startswith("../"):  # browsers stop at the root
            norm = norm[3:] or "."
        norm = "" if norm == "." else norm
        if folder and norm:
            norm += "/"
        return Target("internal", norm, fragment, above_root=above)

    def has_fragment(self, served: str, fragment: str) -> bool:
        if not fragment or fragment.lower() == "top" or fragment.startswith(":~:"):
            return True  # '#top' and text fragments need no id
        if not served.endswith((".html", ".htm")):
            return True  # '#page=2' of a PDF and the like: not ours to check
        return fragment in self.parsed(served).ids


PARALLEL_BYTES = 12_000_000  # about 0.4 s of reading HTML in one process


def url_of_served(served: str) -> str:
    return served[: -len("index.html")] if served.endswith("index.html") else served


def walk_site(root: Path) -> tuple[set[str], set[str]]:
    """Every file and folder of the build, as exact-case posix paths."""
    paths, dirs = set(), set()
    for folder, dirnames, filenames in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        rel = "" if rel == "." else rel + "/"
        dirs.update(rel + d for d in dirnames)
        paths.update(rel + f for f in filenames)
    return paths, dirs
