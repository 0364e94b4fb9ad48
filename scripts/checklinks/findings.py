"""The kind, message and suggestion of a finding."""

from __future__ import annotations

import difflib
import functools
import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from .builtsite import Site, url_of_served
from .context import Context
from .pages import Link
from .scan import Problem
from .source import source_target


@dataclass
class Finding:
    file: str
    line: int | None
    target: str
    kind: str
    message: str
    pages: int = 1  # how many pages the broken link is on


def make_finding(file, line, target, kind, message, suggestion, pages: int = 1) -> Finding:
    if suggestion and suggestion != target:
        message += f"; did you mean `{suggestion}`?"
    return Finding(file, line, target, kind, message, pages)


def diagnose(ctx: Context, problem: Problem, link: Link) -> tuple[str, str, str | None]:
    """(kind, message, suggestion) for a problem, given the link as written."""
    if problem.reason == "external":
        kind = "external-broken" if problem.detail.startswith("HTTP") else "external-unreachable"
        return kind, f"external link fails: {problem.detail}", None
    if problem.reason == "anchor":
        return diagnose_anchor(ctx, problem, link)
    if link.marked and names_a_file(link.value) and problem.page is not None:
        return diagnose_source_link(ctx, problem.page, link.value)
    return diagnose_site_link(ctx, problem, link.value)


def names_a_file(value: str) -> bool:
    """A relative path with an extension: MkDocs looks it up among the docs
    files (a path without one, like `../other/`, is a URL and stays as is)."""
    parts = urlsplit(value)
    relative = not parts.scheme and not parts.netloc and not parts.path.startswith("/")
    return relative and bool(posixpath.splitext(parts.path)[1])


def diagnose_anchor(ctx: Context, problem: Problem, link: Link):
    ids = [i for i in ctx.site.parsed(problem.site_path).ids if not i.startswith("__")]
    close = difflib.get_close_matches(problem.fragment, ids, n=1, cutoff=0.6)
    base = link.value.split("#", 1)[0]
    where = page_name(ctx, problem.site_path)
    suggestion = f"{base}#{close[0]}" if close else None
    return "missing-anchor", f"{where} has no heading or id `{problem.fragment}`", suggestion


def page_name(ctx: Context, site_path: str) -> str:
    """A page named the way its writers know it: by its source file."""
    for file in ctx.files.documentation_pages():
        if file.dest_uri == site_path:
            return file.src_uri
    return site_path


def diagnose_source_link(ctx: Context, page: File, value: str):
    """A Markdown link MkDocs could not resolve: read it as MkDocs does, from
    the source file's folder, among the docs files."""
    path, _, fragment = value.partition("#")
    target = source_target(page.src_uri, unquote(urlsplit(path).path))
    file = ctx.files.get_file_from_path(target)
    suffix = f"#{fragment}" if fragment else ""
    if file is not None and file.inclusion.is_excluded():
        return excluded(file)
    if file is not None:
        return "missing-page", f"`{target}` is in the docs but missing from the build (a stale --site-dir?)", None
    same_case = ctx.by_folded_src.get(target.lower())
    if same_case is not None:
        return ("case-mismatch", f"`{target}` differs in case from `{same_case.src_uri}`; a Linux server would 404",
                relative_source(same_case.src_uri, page.src_uri) + suffix)
    is_page = target.endswith(".md") or not posixpath.splitext(target)[1]
    close = closest(target, ctx.included_sources(is_page))
    suggestion = relative_source(close, page.src_uri) + suffix if close else None
    kind = "missing-page" if is_page else "missing-file"
    return kind, f"`{target}` does not exist in docs_dir", suggestion


def relative_source(src_uri: str, from_src_uri: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(from_src_uri) or ".")


def excluded(file: File):
    why = "a draft (draft_docs)" if file.inclusion == InclusionLevel.DRAFT else "excluded from the build (exclude_docs)"
    return "excluded-target", f"`{file.src_uri}` is {why}", None


def diagnose_site_link(ctx: Context, problem: Problem, value: str):
    """A URL the browser resolves from the page's URL: raw HTML, diagrams, theme."""
    site, path = ctx.site, problem.site_path
    page_url = page_url_of(problem)
    if problem.reason == "above-root" and urlsplit(value).path.startswith("/"):
        suggestion = site.prefix + quote(path) if site.served(path) else None
        return "outside-site", f"absolute path outside the site's folder `{site.prefix}` (site_url)", suggestion
    if problem.reason == "above-root":
        suggestion = url_suggestion(path, page_url, problem.fragment) if site.served(path) else None
        return ("wrong-depth", "climbs above the site root: it breaks when the site is served from a sub-folder",
                suggestion)
    file = site.by_url.get(path) or ctx.files.get_file_from_path(path)
    if file is not None and file.inclusion.is_excluded():
        return excluded(file)
    actual = site.served_ignoring_case(path)
    if actual is not None:
        return ("case-mismatch", f"`{path}` differs in case from `{actual}`; a Linux server would 404",
                url_suggestion(url_of_served(actual), page_url, problem.fragment))
    if path.endswith(".md") and problem.page is not None:
        source = ctx.files.get_file_from_path(source_target(problem.page.src_uri, unquote(urlsplit(value).path)))
        if source is not None and source.inclusion.is_included():
            return ("missing-page", "links to a Markdown source, which is not served: MkDocs rewrites only "
                    "Markdown links, not raw HTML or diagrams", url_suggestion(source.url, page_url, problem.fragment))
    suggestion = depth_suggestion(site, value, problem) or close_suggestion(site, path, page_url, problem.fragment)
    is_page = path == "" or path.endswith(("/", ".html", ".md")) or not posixpath.splitext(path)[1]
    kind = "missing-page" if is_page else "missing-file"
    return kind, f"nothing is served at `{path or '/'}`", suggestion


def page_url_of(problem: Problem) -> str:
    return problem.page.url if problem.page is not None else ""


def url_suggestion(path: str, page_url: str, fragment: str) -> str:
    """The URL of a site path as written on the page at page_url."""
    return quote(get_relative_url(path, page_url)) + (f"#{quote(fragment)}" if fragment else "")


def depth_suggestion(site: Site, value: str, problem: Problem) -> str | None:
    """The usual mistakes in raw HTML: a '../' too many or too few, or the
    other URL style; try those."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        return None
    page_dir = posixpath.dirname(problem.page_path)
    stripped = parts.path
    variants = ["../" + parts.path, "../../" + parts.path]
    while stripped.startswith("../"):
        stripped = stripped[3:]
        variants.append(stripped)
    # The other URL style: 'page/' where the site has 'page.html', and back.
    if parts.path.endswith("/") and parts.path.strip("./"):
        variants.append(parts.path.rstrip("/") + ".html")
    elif parts.path.endswith(".html"):
        variants.append(parts.path[: -len(".html")] + "/")
    for variant in variants:
        target = site.locate(variant, page_dir, problem.page_path)
        if not target.above_root and site.served(target.path):
            return urlunsplit(parts._replace(path=variant))
    return None


def close_suggestion(site: Site, path: str, page_url: str, fragment: str) -> str | None:
    pool = site.page_urls if (path.endswith("/") or not posixpath.splitext(path)[1]) else site.sorted_paths
    close = closest(path, pool)
    if close is None or close == page_url:  # the page itself is no fix
        return None
    return url_suggestion(close, page_url, fragment)


def closest(path: str, candidates: list[str]) -> str | None:
    """The candidate most like path, if alike both as a whole and in its last
    part (so that `guide/gone.md` does not suggest `guide/index.md`)."""
    # Alike in the last part first: each distinct last part is compared once,
    # so that a site of thousands of pages is not compared whole thousands of times.
    matcher = difflib.SequenceMatcher(None, "", last_part(path))  # seq2 is the one it indexes once
    alike = []
    for name, paths in by_last_part(tuple(candidates)).items():
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= 0.7 and matcher.quick_ratio() >= 0.7 and matcher.ratio() >= 0.7:
            alike += paths
    matches = difflib.get_close_matches(path, alike, n=1, cutoff=0.75)
    return matches[0] if matches else None


def last_part(path: str) -> str:
    return posixpath.basename(path.rstrip("/"))


@functools.lru_cache(maxsize=8)
def by_last_part(candidates: tuple[str, ...]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for candidate in candidates:
        groups.setdefault(last_part(candidate), []).append(candidate)
    return groups


def close_page(ctx: Context, src_uri: str, fragment: str = "") -> str | None:
    """The docs page whose path is most like src_uri, as a suggestion."""
    pages = [f.src_uri for f in ctx.files.documentation_pages()]
    close = closest(src_uri, pages)
    return close + (f"#{fragment}" if fragment else "") if close else None
