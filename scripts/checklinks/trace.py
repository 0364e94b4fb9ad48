"""Which file and line each broken link is reported against: its page's Markdown, else once for all pages."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

from .context import Context
from .findings import Finding, diagnose, make_finding
from .scan import Problem
from .source import mkdocs_output


def trace_problems(ctx: Context, problems: list[Problem], claimed: set[str]) -> list[Finding]:
    """Findings for broken links: each traced to its page and line where written
    there, the rest (theme, hooks, plugins) reported once for all pages."""
    findings, untraced = [], []
    for page, page_problems in group_by_page(problems).items():
        source = ctx.source(page) if page else None
        written = source.links if source else []
        expected = [mkdocs_output(w, page, ctx.files, ctx.config) for w in written] if page else []
        used: set[int] = set()
        for problem in page_problems:
            index = next((i for i, e in enumerate(expected)
                          if e == problem.link.value and i not in used), None)
            if index is None:
                untraced.append(problem)
                continue
            used.add(index)
            link = written[index]
            ordinal = sum(1 for w in written[:index] if w.value == link.value)
            line = source.line_of(ctx.config, link.value, ordinal)
            if line is None:  # rendered from the page but not in its text: a snippet, say
                untraced.append(problem)
                continue
            kind, message, suggestion = diagnose(ctx, problem, link)
            if page.generated_by:  # its lines are in no file a writer can open
                line = None
                message += f" (in the page that the `{page.generated_by}` plugin generates)"
            findings.append(make_finding(page.src_uri, line, link.value, kind, message, suggestion))
    findings += report_untraced(ctx, untraced, claimed)
    return findings


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
