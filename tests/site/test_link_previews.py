"""Link previews: every built page carries a meta description, a canonical URL and
the Open Graph / Twitter card tags, and its preview image is a 1200x630 PNG in the
build. Cards come from Material's social plugin (offline: hooks/social_fonts.py)."""

import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pages import DOCS, FRONT_MATTER

REQUIRED = [
    "og:title", "og:description", "og:url", "og:image",
    "twitter:card", "twitter:title", "twitter:description", "twitter:image",
]
CARD_SIZE = (1200, 630)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def source_pages() -> list[Path]:
    """Every page of docs/ (folders starting with _ hold templates and snippets)."""
    return sorted(p for p in DOCS.rglob("*.md") if not any(part.startswith("_") for part in p.relative_to(DOCS).parts))


def built_path(source: Path) -> str:
    """docs/a/b.md -> a/b/index.html, docs/a/index.md -> a/index.html (use_directory_urls)."""
    rel = source.relative_to(DOCS).with_suffix("")
    return (rel.parent if rel.name == "index" else rel).joinpath("index.html").as_posix()


def front_matter(source: Path) -> dict:
    match = FRONT_MATTER.match(source.read_text(encoding="utf-8"))
    return yaml.safe_load(match.group(0).strip("-\n")) if match else {}


class Head(HTMLParser):
    """<meta> tags by name or property (every value, to catch duplicates), the canonical link, the title."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.refresh = False
        self.title, self._in_title = "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            if a.get("http-equiv", "").lower() == "refresh":
                self.refresh = True
            key = a.get("property") or a.get("name")
            if key:
                self.meta.setdefault(key, []).append(a.get("content") or "")
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a.get("href") or "")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: expected exactly one tag, found {values}"
        assert values[0].strip(), f"{key} is empty"
        return values[0]


def parse(path: Path) -> Head:
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which a valid PNG starts with."""
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert header[12:16] == b"IHDR", f"{path} has no IHDR chunk first"
    return struct.unpack(">II", header[16:24])


@pytest.fixture(scope="session")
def config():
    from mkdocs.config import load_config

    # The same config and environment (SITE_URL) the built_site fixture used.
    config = load_config(str(DOCS.parent / "mkdocs.yml"))
    assert config.site_url, "site_url must be set, or no preview tags are emitted"
    return config


def built_pages(site: Path) -> set[str]:
    """Every built page from a source file: index.html files outside assets/,
    minus the 404 page, the generated print page and redirect stubs."""
    pages = set()
    for html in site.rglob("index.html"):
        rel = html.relative_to(site)
        if rel.parts[0] in ("assets", "404", "print") or parse(html).refresh:
            continue
        pages.add(rel.as_posix())
    return pages


def test_every_built_page_comes_from_a_source_page(built_site):
    """So that the per-page test below covers every built page."""
    assert built_pages(built_site) == {built_path(p) for p in source_pages()}


def test_redirect_stubs_are_not_pages(built_site):
    """Redirect stubs (mkdocs-redirects) only forward; they need no preview tags."""
    stubs = [p for p in built_site.rglob("*.html") if "assets" not in p.parts and parse(p).refresh]
    assert stubs, "expected the legacy-URL redirect stubs"
    assert not {p.relative_to(built_site).as_posix() for p in stubs} & built_pages(built_site)


@pytest.mark.parametrize("source", source_pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_has_link_preview(built_site, config, source):
    site_url = config.site_url
    head = parse(built_site / built_path(source))
    meta = front_matter(source)

    description = head.one("description")
    if "description" in meta:
        assert description == meta["description"]
    # HTML-parsed values equal the intended text only if the tags were well formed
    # (the plugin does not escape quotes), so compare them with what MkDocs wrote.
    for key in REQUIRED:
        head.one(key)
    assert head.one("og:description") == head.one("twitter:description") == description
    title = head.one("og:title")
    assert head.one("twitter:title") == title
    # "<page title> - <site name>"; the home page gets the site name alone.
    assert title in (f"{meta.get('title')} - {config.site_name}", config.site_name)

    assert len(head.canonical) == 1, head.canonical
    assert head.one("og:url") == head.canonical[0]
    assert head.canonical[0].startswith(site_url)
    assert head.one("twitter:card") == "summary_large_image"

    image = head.one("og:image")
    assert head.one("twitter:image") == image
    assert image.startswith(site_url) and image.endswith(".png"), image
    card = built_site / image.removeprefix(site_url)
    assert card.is_file(), f"{image} is not in the build"
    assert png_size(card) == CARD_SIZE
    if "og:image:width" in head.meta:
        assert (int(head.one("og:image:width")), int(head.one("og:image:height"))) == CARD_SIZE
