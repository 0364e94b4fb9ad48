"""Which file and line each broken link is reported against: its page's Markdown, else once for all pages."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.structure.files import File

from .context import Context
from .findings import Finding, diagnose, make_finding
from .pages import Link
from .scan import Problem
from .source import mkdocs_output, written_links


def trace_problems(ctx: Context, problems: list[Problem], claimed: set[str]) -> list[Finding]:
    """Findings for broken links: each traced to its page and line where written
    there, the rest (theme, hooks, plugins) reported once for all pages."""
    findings, untraced = [], []
    for page, page_problems in group_by_page(problems).items():
        placed = place_problems(ctx, page, page_problems) if page else {}
        for problem in page_problems:
            if id(problem) not in placed:
                untraced.append(problem)
                continue
            link, line = placed[id(problem)]
            kind, message, suggestion = diagnose(ctx, problem, link)
            if page.generated_by:  # its lines are in no file a writer can open
                line = None
                message += f" (in the page that the `{page.generated_by}` plugin generates)"
            findings.append(make_finding(page.src_uri, line, link.value, kind, message, suggestion))
    findings += report_untraced(ctx, untraced, claimed)
    return findings


Places = dict[int, tuple[Link, int]]  # id of a problem -> the link as written, its line


def place_problems(ctx: Context, page: File, problems: list[Problem]) -> Places:
    """Where in the page's Markdown each problem's link is written: read from
    the text where that settles it (most pages, fast), else by rendering the
    page again. A problem left out is not in the page's Markdown."""
    placed = places_in_text(ctx, page, problems)
    return placed if placed is not None else places_by_rendering(ctx, page, problems)


def places_in_text(ctx: Context, page: File, problems: list[Problem]) -> Places | None:
    """Each built link matched to the links read from the Markdown's text
    (source.written_links) that MkDocs turns into it; None when that does not
    settle it: a count that differs (a look-alike the reading took for a link,
    the same link also from the theme), or no match where the text may hold
    the link in a form the reading does not know."""
    markdown = ctx.markdown(page)
    if markdown is None:
        return None
    written = [(as_written(ctx, link), line) for link, line in written_links(*markdown)]
    outputs = [mkdocs_output(link, page, ctx.files, ctx.config) for link, _ in written]
    placed: Places = {}
    for value, same in group_by_value(problems).items():
        spots = [written[i] for i, output in enumerate(outputs) if output == value]
        if len(spots) == len(same):
            placed.update((id(problem), spot) for problem, spot in zip(same, spots))
        elif spots or may_be_written(value, markdown[0]):
            return None
    return placed


def may_be_written(value: str, text: str) -> bool:
    """Whether the text holds the last part of the link's path or its fragment
    as a word: if not, the page's Markdown cannot have written the link."""
    path, _, fragment = value.partition("#")
    key = fragment or unquote(urlsplit(path).path).rstrip("/").rpartition("/")[2]
    key = key.rpartition(".")[0] if key.endswith((".md", ".html")) else key
    if key in ("", ".", ".."):
        return True
    return re.search(r"(?<![\w-])" + re.escape(key) + r"(?![\w-])", text) is not None


def as_written(ctx: Context, link: Link) -> Link:
    """A diagram's `click` link as MkDocs resolves it: on a site whose build writes
    diagrams.json (this project), its hooks resolve click links as Markdown links
    (docs paths, `raft.md#terms`); elsewhere they reach the page as written."""
    return Link(link.value, True) if link.click and ctx.site.diagram_links is not None else link


def group_by_value(problems: list[Problem]) -> dict[str, list[Problem]]:
    groups: dict[str, list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem.link.value, []).append(problem)
    return groups


def places_by_rendering(ctx: Context, page: File, problems: list[Problem]) -> Places:
    """The page's Markdown rendered again with the config's extensions, its
    links as written matched to the built ones, each placed on the line where
    its text renders as a link (source.Source.line_of)."""
    source = ctx.source(page)
    if source is None:
        return {}
    written = [as_written(ctx, link) for link in source.links]
    expected = [mkdocs_output(w, page, ctx.files, ctx.config) for w in written]
    used: set[int] = set()
    placed: Places = {}
    for problem in problems:
        index = next((i for i, e in enumerate(expected) if e == problem.link.value and i not in used), None)
        if index is None:
            continue
        used.add(index)
        link = written[index]
        ordinal = sum(1 for w in written[:index] if w.value == link.value)
        line = source.line_of(ctx.config, link.value, ordinal)
        if line is not None:  # else rendered from the page but not in its text: a snippet, say
            placed[id(problem)] = (link, line)
    return placed


def group_by_page(problems: list[Problem]) -> dict:
    groups: dict = {}
    for problem in problems:
        groups.setdefault(problem.page, []).append(problem)
    return groups


def report_untraced(ctx: Context, problems: list[Problem], claimed: set[str]) -> list[Finding]:
    """Links not written in the page's own Markdown. One broken target on many
    pages comes from the theme (or a hook, plugin or shared snippet): say it
    once, with the number of pages, against the override template or snippet
    that writes it, else the config file."""
    findings = []
    for group in same_target(p for p in problems if p.reason == "external" or p.site_path.rstrip("/") not in claimed):
        first = group[0]
        kind, message, suggestion = diagnose(ctx, first, first.link)
        pages = sorted({p.page.src_uri if p.page else p.page_path for p in group})
        file, line = written_location(ctx, group)
        if file is None and len(pages) == 1 and first.page is not None:
            message += (f" (in the page that the `{first.page.generated_by}` plugin generates)" if first.page.generated_by
                        else " (not in the page's Markdown: added by a hook, plugin or snippet)")
            findings.append(make_finding(first.page.src_uri, None, first.link.value, kind, message, suggestion))
            continue
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        message += f" (added by the theme, a snippet, a plugin or a hook; on {len(pages)} page(s): {shown})"
        findings.append(make_finding(file or ctx.config_name, line, group_target(group), kind, message,
                                     suggestion, len(pages)))
    return findings


def same_target(problems) -> list[list[Problem]]:
    """Problems grouped by broken target: the same resolved path (a theme's
    `../about/` and `../../about/`), or the same link as written (a snippet's
    relative `old/`, which resolves to another path on each page)."""
    groups: dict[int, list[Problem]] = {}
    owner: dict[tuple, int] = {}  # key -> its group
    numbers = itertools.count()
    for problem in problems:
        external = problem.reason == "external"
        keys = [(problem.reason, "written", problem.link.value)]
        if not external:
            keys.append((problem.reason, "resolved", problem.site_path, problem.fragment))
        found = sorted({owner[key] for key in keys if key in owner})
        group = found[0] if found else next(numbers)
        groups.setdefault(group, [])
        for other in found[1:]:  # this problem joins two groups into one
            groups[group] += groups.pop(other)
            owner.update({key: group for key, value in owner.items() if value == other})
        groups[group].append(problem)
        owner.update({key: group for key in keys})
    return list(groups.values())


def group_target(group: list[Problem]) -> str:
    """The target of a group: its resolved path if all share one, else the link as written."""
    first = group[0]
    if first.reason == "external":
        return first.link.value
    paths = {p.site_path for p in group}
    return first.site_path if len(paths) == 1 and first.site_path else first.link.value


def written_location(ctx: Context, group: list[Problem]) -> tuple[str | None, int | None]:
    """The override template or snippet, and its line, that writes the link:
    exactly a link of the group as built, or its site path, as a whole quoted
    string, Markdown link destination or the rest after a `{{ ... }}`
    (`{{ base_url }}/about/`). (None, None) if none does: a line that merely
    contains the same letters is not taken."""
    first = group[0]
    values = {p.link.value for p in group}
    if first.reason != "external":
        values |= {path for p in group if p.site_path for path in (p.site_path, "/" + p.site_path)}
    pattern = re.compile("(?:[\"'(<]|}}/?|\\]:[ \t]*)(?:" + "|".join(map(re.escape, sorted(values))) +
                         ")(?=[\"')>#?\\s]|$)", re.MULTILINE)
    config_dir = Path(ctx.config.config_file_path).parent
    for folder in written_in(ctx):
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            match = pattern.search(text)
            if match:
                line = text.count("\n", 0, match.start()) + 1
                return os.path.relpath(path, config_dir).replace(os.sep, "/"), line
    return None, None


def written_in(ctx: Context) -> list[str]:
    """Folders of what adds text to pages: the theme's custom_dir, and the
    base paths of pymdownx.snippets (but not its default, the whole project)."""
    folders = [ctx.config.theme.custom_dir] if ctx.config.theme.custom_dir else []
    base_path = ctx.config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", [])
    for folder in [base_path] if isinstance(base_path, str) else base_path:
        if os.path.isdir(folder) and os.path.abspath(folder) != str(Path(ctx.config.config_file_path).parent):
            folders.append(folder)
    return folders
