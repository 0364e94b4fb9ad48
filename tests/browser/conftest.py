"""A real build of the site, served on 127.0.0.1, and headless Chromium.

The site is built with site_url set to the origin it is served from, because
Material's instant navigation silently falls back to full page loads on any
other origin (it takes the site's pages from sitemap.xml, whose URLs are
under site_url).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The tests import these from here.
from archnotes.browser import DIAGRAM_COUNTS, SHOWN_THEME, block_other_hosts, draw_all_diagrams, launch  # noqa: F401
from archnotes.editions import PRINT_URL as PRINT  # noqa: F401
from archnotes.serve_site import serving, site_pages
from sitebuild import build

ROOT = Path(__file__).resolve().parents[2]

PORT = 8765  # fixed: site_url must name the port before the build
ROOT_ONLY_PORT = 8764  # root_site lives for the whole session beside `site`
SUB_PATH = "/architecture-notes/"  # hosting under a sub-path, as GitHub Pages does


def build_site(site_dir: Path, site_url: str) -> None:
    build(ROOT / "mkdocs.yml", site_dir, site_url=site_url, strict=True)


@dataclass
class Site:
    base: str
    dir: Path
    pages: list[str]


@contextlib.contextmanager
def served_build(tmp_path_factory, prefix: str, port: int = PORT):
    site_dir = tmp_path_factory.mktemp("site")
    base = f"http://127.0.0.1:{port}{prefix}"
    build_site(site_dir, base)
    try:
        with serving(site_dir, port, prefix) as url:
            assert url == base
            yield Site(base, site_dir, site_pages(site_dir))
    except OSError as err:
        pytest.fail(f"cannot serve the test site on port {port}: {err} (is an old test server running?)")


@pytest.fixture(scope="session", params=["/", SUB_PATH], ids=["root", "sub-path"])
def site(request, tmp_path_factory) -> Site:
    """The site served at the root of its host, then under a sub-path."""
    with served_build(tmp_path_factory, request.param) as built:
        yield built


@pytest.fixture(scope="session")
def root_site(tmp_path_factory) -> Site:
    """The site at the root only, for checks that do not depend on the path."""
    with served_build(tmp_path_factory, "/", ROOT_ONLY_PORT) as built:
        yield built


@pytest.fixture(scope="session")
def pdf_edition(root_site, tmp_path_factory) -> Path:
    """mkdocs-pdf.yml built for root_site's address: the folder; its document,
    every page in one, is print/index.html (test_editions, test_accessibility)."""
    site_dir = tmp_path_factory.mktemp("pdf-edition")
    build(ROOT / "mkdocs-pdf.yml", site_dir, site_url=root_site.base, strict=True)
    return site_dir


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@dataclass
class Watched:
    """A page plus everything that went wrong on it."""

    page: object
    blocked: list[str]
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser, site):
    """open_page(color_scheme="light") -> Watched: a fresh context that records errors and blocks other hosts."""
    contexts = []

    def make(color_scheme: str = "light") -> Watched:
        context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        blocked = block_other_hosts(context, site.base)
        page = context.new_page()
        watched = Watched(page, blocked)
        page.on("console", lambda m: m.type == "error" and watched.console_errors.append(m.text))
        page.on("pageerror", lambda e: watched.page_errors.append(str(e)))
        return watched

    yield make
    for context in contexts:
        context.close()
