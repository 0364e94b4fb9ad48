"""Where a link was written: its line in a page's Markdown, or in the config file."""

from __future__ import annotations

import html
import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import yaml
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from .pages import MARK, Link, mermaid_click_urls, parse_html, srcset_urls
from .project import one_line

log = logging.getLogger(__name__)

# Appended to a link's text in the source to tell real links from look-alikes
# in code; letters and digits only, so it never changes how the link parses.
TOKEN = "qzchklnk{}q"


def mark_rendered_links(md) -> None:
    """Marks the <a>/<img> the Markdown renderer made, after every other
    tree processor has run; raw HTML is stashed and never marked."""

    def mark(root):
        for element in root.iter():
            if element.tag in ("a", "img"):
                element.set(MARK, "")

    from markdown.treeprocessors import Treeprocessor

    processor = Treeprocessor(md)
    processor.run = mark
    md.treeprocessors.register(processor, "check_links_mark", -100)


def render_markdown(config, text: str) -> str:
    """HTML of a page's Markdown as MkDocs renders it (the config's extensions
    and their settings), except that links are left as written."""
    import markdown

    md = markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)
    mark_rendered_links(md)
    return md.convert(text)


@dataclass
class Source:
    """A page's Markdown and the links it renders to, in document order."""

    src_uri: str
    text: str  # the whole file
    body_start: int  # where the Markdown starts, after any front matter
    links: list[Link]
    _lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, config, value: str, ordinal: int) -> int | None:
        """Line of the ordinal-th occurrence of `value` that renders as a link."""
        if value not in self._lines:
            self._lines[value] = link_lines(config, self, value, self.src_uri)
        lines = self._lines[value]
        return lines[min(ordinal, len(lines) - 1)] if lines else None


def read_markdown(file: File) -> tuple[str, int]:
    """A page's Markdown: the whole text, and where the body starts after any front matter."""
    from mkdocs.utils.meta import get_data

    text = file.content_string  # also the Markdown of a page a plugin generates
    body, _ = get_data(text)
    return text, len(text) - len(body) if text.endswith(body) else 0


def read_source(config, file: File) -> Source | None:
    try:
        text, start = read_markdown(file)
        html = render_markdown(config, text[start:])
    except Exception as err:  # an extension may fail on its own: trace nothing, say why
        log.warning("%s: cannot render its Markdown to place findings on lines (%s: %s)",
                    file.src_uri, type(err).__name__, one_line(err))
        return None
    page = parse_html(html)
    return Source(file.src_uri, text, start, page.links + [Link(url) for url in dict.fromkeys(page.drawn)])


# The link syntaxes of Markdown and raw HTML, read from the text without
# rendering it (written_links): inline `](dest)`, reference definitions
# `[id]: dest`, autolinks `<https://...>`, and URL attributes of raw HTML.
MD_LINK = re.compile(r"\]\([ \t]*(?:<([^>\n]*)>|((?:[^\s()]|\([^\s()]*\))*))")
REFERENCE = re.compile(r"^[ \t>]*\[[^\]\n]+\]:[ \t]*(?:<([^>\n]*)>|(\S+))")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
HTML_URL = re.compile(r"\b(href|src|srcset|data|poster)[ \t]*=[ \t]*(?:\"([^\"]*)\"|'([^']*)')", re.IGNORECASE)
FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?([\w-]*)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def written_links(text: str, body_start: int) -> list[tuple[Link, int]]:
    """The links of a page's Markdown read from its text, in order, each with
    its line: what the Markdown renderer makes (Link.marked) and raw HTML, and
    the `click` lines of mermaid fences; never text in code spans or other
    fenced code. Fast, and exact for the usual syntax; trace.py falls back to
    rendering the page where this reading is not conclusive."""
    links = []
    fence, fence_lang = "", ""
    first_line = text.count("\n", 0, body_start) + 1
    for number, line in enumerate(text[body_start:].splitlines(), first_line):
        opening = FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence) \
                    and not line.strip().lstrip(">").strip().strip(fence[0]):
                fence = ""
            elif fence_lang == "mermaid":
                links += [(Link(url, click=True), number) for url in mermaid_click_urls(line)]
            continue
        if opening:
            fence, fence_lang = opening.group(1), opening.group(2).lower()
            continue
        links += [(link, number) for link in links_in_line(CODE_SPAN.sub(lambda m: " " * len(m.group()), line))]
    return links


def links_in_line(line: str) -> list[Link]:
    found = []  # (position, link)
    for pattern in (MD_LINK, REFERENCE, AUTOLINK):
        for match in pattern.finditer(line):
            value = next((group for group in match.groups() if group is not None), "")
            found.append((match.start(), Link(html.unescape(value), marked=True)))
    for match in HTML_URL.finditer(line):
        value = html.unescape(match.group(2) if match.group(2) is not None else match.group(3))
        values = srcset_urls(value) if match.group(1).lower() == "srcset" else [value]
        found += [(match.start(), Link(v)) for v in values]
    return [link for _, link in sorted(found, key=lambda item: item[0])]


def link_lines(config, source: Source, value: str, src_uri: str = "") -> list[int]:
    """Lines where `value` is written as a link, not as text or code.

    Every occurrence of the text gets its own token appended and the page is
    rendered again; occurrences whose token comes back inside a link are real."""
    body = source.text[source.body_start:]
    as_written = value if value in body else html.escape(value, quote=False)  # `a&amp;b` is the link `a&b`
    spots = []
    at = body.find(as_written)
    while at >= 0 and as_written:
        spots.append(at)
        at = body.find(as_written, at + len(as_written))
    if len(spots) > 1:
        tokenised = body
        for number, spot in reversed(list(enumerate(spots))):
            end = spot + len(as_written)
            tokenised = tokenised[:end] + TOKEN.format(number) + tokenised[end:]
        try:
            rendered = {link.value for link in parse_html(render_markdown(config, tokenised)).links}
            real = [s for n, s in enumerate(spots) if value + TOKEN.format(n) in rendered]
            spots = real or spots
        except Exception as err:  # as in read_source: keep every occurrence, say why
            log.warning("%s: cannot render its Markdown again to tell `%s` as a link from look-alikes (%s: %s)",
                        src_uri, value, type(err).__name__, one_line(err))
    return [source.text.count("\n", 0, source.body_start + s) + 1 for s in spots]


def mkdocs_output(link: Link, page: File, files: Files, config) -> str:
    """What MkDocs turns a written link into (mirrors its relative-path rewrite):
    Markdown links to a known source file become URLs; all else stays as is."""
    if not link.marked:
        return link.value
    scheme, netloc, path, query, fragment = urlsplit(link.value)
    if scheme or netloc or not path:
        return link.value
    if path.startswith(("/", "\\")) and not absolute_links_relative_to_docs(config):
        return link.value
    target = files.get_file_from_path(source_target(page.src_uri, unquote(path)))
    if target is None:
        return link.value
    return urlunsplit(("", "", get_relative_url(target.url, page.url), query, fragment))


def absolute_links_relative_to_docs(config, where: str = "links") -> bool:
    """validation.<where>.absolute_links: relative_to_docs makes MkDocs read
    '/page.md' from the docs folder."""
    setting = config.validation[where].absolute_links
    return getattr(setting, "name", str(setting)).lower() == "relative_to_docs"


def source_target(src_uri: str, path: str) -> str:
    """The docs-relative file a link written in src_uri names (as MkDocs resolves it)."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


def config_scalar_lines(config_file: str, section: str) -> dict[str, list[int]]:
    """Line numbers of the string values under a top-level key of the config,
    from YAML's own node positions (the config's custom tags are not run)."""
    try:
        root = yaml.compose(Path(config_file).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError) as err:  # MkDocs read it a moment ago: unlikely, but say so
        log.warning("%s: cannot read it again to place findings on lines (%s)", config_file, one_line(err))
        return {}
    lines: dict[str, list[int]] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        if key.value == section:
            collect_scalar_lines(value, lines)
    return lines


def collect_scalar_lines(node, lines: dict[str, list[int]]) -> None:
    if isinstance(node, yaml.ScalarNode):
        lines.setdefault(node.value, []).append(node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            collect_scalar_lines(item, lines)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            collect_scalar_lines(key, lines)
            collect_scalar_lines(value, lines)
