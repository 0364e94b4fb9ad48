"""The checks of the config itself: nav entries, redirect targets, orphan pages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from mkdocs.structure.files import InclusionLevel

from .context import Context
from .findings import Finding, close_page, excluded, make_finding, url_suggestion
from .source import absolute_links_relative_to_docs


def nav_entries(nav) -> list[str]:
    """Every path or URL of the nav, in order."""
    out = []
    for item in nav or []:
        if isinstance(item, dict):
            for value in item.values():
                out += nav_entries(value) if isinstance(value, list) else [value]
        elif isinstance(item, list):
            out += nav_entries(item)
        elif isinstance(item, str):
            out.append(item)
    return [str(v) for v in out if v is not None]


@dataclass
class ConfigChecks:
    findings: list
    claimed: set  # site paths of broken nav entries, also rendered in the theme's nav
    in_nav: set  # src_uris of pages in the nav
    links: int


def check_nav(ctx: Context) -> ConfigChecks:
    result = ConfigChecks([], set(), set(), 0)
    for entry in nav_entries(ctx.config.nav):
        parts = urlsplit(entry)
        if parts.scheme or parts.netloc:
            continue  # external nav links are checked where the theme renders them
        result.links += 1
        problem = check_nav_entry(ctx, entry, result)
        if problem:
            result.findings.append(make_finding(ctx.config_name, ctx.config_line("nav", entry), entry, *problem))
    return result


def check_nav_entry(ctx: Context, entry: str, result: ConfigChecks):
    """(kind, message, suggestion) for a broken nav entry, else None."""
    # MkDocs looks the whole entry up among the docs files, '#' and all.
    lookup = entry.lstrip("/") if absolute_links_relative_to_docs(ctx.config, "nav") else entry
    file = ctx.files.get_file_from_path(lookup)
    if file is not None and not file.inclusion.is_excluded():
        result.in_nav.add(file.src_uri)
        return None
    path, _, fragment = lookup.partition("#")
    if entry.startswith("/") or not path.endswith(".md") and ctx.site.served(path):
        return None  # a URL into the built site: the theme renders it and the scan checks it
    # MkDocs renders the entry into every page's nav: those links are this finding.
    result.claimed.add(path.rstrip("/"))
    if file is not None:
        result.claimed.add(file.url.rstrip("/"))
        return excluded(file)
    page = ctx.files.get_file_from_path(path)
    if fragment and page is not None and not page.inclusion.is_excluded():
        return ("nav-missing", "MkDocs does not resolve a `#fragment` in a nav path: it links to the Markdown "
                "file itself", url_suggestion(page.url, "", fragment))
    same_case = {f.src_uri.lower(): f for f in ctx.files}.get(path.lower())
    if same_case is not None:
        return "case-mismatch", f"`{path}` differs in case from `{same_case.src_uri}`", same_case.src_uri
    return "nav-missing", f"nav entry `{path}` is not a file in docs_dir", close_page(ctx, path, fragment)


def check_redirects(ctx: Context) -> tuple[list[Finding], int]:
    """Targets of the mkdocs-redirects plugin's redirect_maps, if it is used."""
    findings, count = [], 0
    for old, new in ctx.redirect_maps.items():
        new = str(new)
        if urlsplit(new).scheme:
            continue
        count += 1
        problem = check_redirect(ctx, str(old), new)
        if problem:
            findings.append(make_finding(ctx.config_name, ctx.config_line("plugins", new, old), new, *problem))
    return findings, count


def check_redirect(ctx: Context, old: str, new: str):
    path, _, fragment = new.partition("#")
    file = ctx.files.get_file_from_path(path)
    if file is None or not file.is_documentation_page() or file.inclusion.is_excluded():
        message = f"redirect from `{old}` goes to `{path}`, which is not a page of the site"
        return "redirect-missing", message, close_page(ctx, path, fragment)
    if fragment and ctx.site.served(file.url) and not ctx.site.has_fragment(file.dest_uri, fragment):
        return "missing-anchor", f"redirect from `{old}`: {file.src_uri} has no heading or id `{fragment}`", None
    return None


def find_orphans(ctx: Context, linked: set[str], in_nav: set[str]) -> list[Finding]:
    """Pages that neither the nav nor any other page links to. Without a `nav`
    in the config MkDocs lists every page, and `not_in_nav` pages are meant to
    stand alone, so neither is reported."""
    if ctx.config.nav is None:
        return []
    findings = []
    for file in ctx.files.documentation_pages():
        if file.dest_uri == "index.html" or file.inclusion == InclusionLevel.NOT_IN_NAV:
            continue
        if file.src_uri not in in_nav and file.dest_uri not in linked and ctx.site.served(file.url):
            findings.append(Finding(file.src_uri, None, file.url or "/", "orphan",
                                    "neither the nav nor any other page links to this page"))
    return findings
