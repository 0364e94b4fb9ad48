"""Which file and line each broken link is reported against: its page's Markdown, else once for all pages."""

from __future__ import annotations

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
    once, with the number of pages, against the override template that writes
    it, else the config file."""
    groups: dict[tuple, list[Problem]] = {}
    for problem in problems:
        if problem.reason != "external" and problem.site_path.rstrip("/") in claimed:
            continue  # a broken nav entry, already reported against the config
        external = problem.link.value if problem.reason == "external" else ""
        groups.setdefault((problem.reason, problem.site_path, problem.fragment, external), []).append(problem)
    findings = []
    for group in groups.values():
        first = group[0]
        kind, message, suggestion = diagnose(ctx, first, first.link)
        pages = sorted({p.page.src_uri if p.page else p.page_path for p in group})
        file, line = theme_location(ctx, group)
        if file is None and len(pages) == 1 and first.page is not None:
            message += " (not in the page's Markdown: added by a hook, plugin or snippet)"
            findings.append(make_finding(first.page.src_uri, None, first.link.value, kind, message, suggestion))
            continue
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        message += f" (added by the theme, a plugin or a hook; on {len(pages)} page(s): {shown})"
        target = first.site_path if first.reason != "external" else first.link.value
        findings.append(make_finding(file or ctx.config_name, line, target or first.link.value, kind, message,
                                     suggestion, len(pages)))
    return findings


def theme_location(ctx: Context, group: list[Problem]) -> tuple[str | None, int | None]:
    """The override template and line that write the target: a quoted string
    that is exactly a link as built or the site path, or the site path right
    after a `{{ ... }}` (`{{ base_url }}/about/`). (None, None) if none does:
    a line that merely contains the same letters is not taken."""
    custom_dir = ctx.config.theme.custom_dir
    if not custom_dir:
        return None, None
    first = group[0]
    values = {p.link.value for p in group}
    if first.reason != "external" and first.site_path:
        values |= {first.site_path, "/" + first.site_path}
    pattern = re.compile("(?:[\"']|}}/?)(?:" + "|".join(map(re.escape, sorted(values))) + ")(?=[\"'#?])")
    config_dir = Path(ctx.config.config_file_path).parent
    for template in sorted(Path(custom_dir).rglob("*")):
        if not template.is_file():
            continue
        lines = template.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, text in enumerate(lines, 1):
            if pattern.search(text):
                return os.path.relpath(template, config_dir).replace(os.sep, "/"), number
    return None, None
