"""The command line: its options, the run of every check, the report and the exit status."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mkdocs.structure.files import Files, get_files

from . import __doc__ as USAGE
from .builtsite import Site
from .config_checks import check_nav, check_redirects, find_orphans
from .context import Context
from .contract import check_contract
from .external import check_external
from .findings import Finding
from .project import Project, UsageError, build_site, files_after_plugins, load_project
from .scan import attach_pages, pages_to_check, scan_pages
from .trace import trace_problems


@dataclass
class Options:
    external: bool = False  # also fetch http(s) links
    exclude: list[re.Pattern] = field(default_factory=list)  # links to skip


def check(project: Project, site_dir: Path, files: Files, options: Options,
          plugin_files: Callable[[], tuple[Project, Files] | None] | None = None) -> tuple[list[Finding], dict]:
    """Every check of a built site. plugin_files (a check of --site-dir): the
    project and docs files as the plugins leave them, asked for only when a
    finding is on a page that no docs file makes (loading plugins is slow)."""
    site = Site(site_dir, project.config, files)
    if not any(path.endswith(".html") for path in site.paths):
        raise UsageError(f"no HTML pages in {site_dir}: build the site first (mkdocs build), "
                         "or give --site-dir the folder it was built into")
    scan = scan_pages(site, pages_to_check(site, project.config, files), options.external, options.exclude)
    problems = scan.problems + (check_external(scan) if options.external else [])
    if plugin_files is not None and any(problem.page is None for problem in problems):
        project, files = plugin_files() or (project, files)
        attach_pages(problems, files)
        site.files, site.by_url = files, {f.url: f for f in files}
    config = project.config
    ctx = Context(config, files, site, Path(config.config_file_path).name, project.redirect_maps)
    nav = check_nav(ctx)
    redirect_findings, redirects = check_redirects(ctx)
    findings = nav.findings + redirect_findings + trace_problems(ctx, problems, nav.claimed)
    findings += find_orphans(ctx, scan.linked, nav.in_nav)
    findings += check_contract(config, site, files)
    findings.sort(key=lambda f: (f.file, f.line or 0, f.kind, f.target))
    return findings, {"pages": scan.pages, "links": scan.links + nav.links + redirects}


def run(args) -> tuple[list[Finding], dict]:
    config_file = os.path.abspath(args.config_file)
    if args.site_dir and not os.path.isdir(args.site_dir):
        raise UsageError(f"site folder not found: {args.site_dir}")
    with contextlib.ExitStack() as stack:
        site_dir = os.path.abspath(args.site_dir) if args.site_dir else stack.enter_context(
            tempfile.TemporaryDirectory(prefix="check-links-"))
        project = load_project(config_file, site_dir, with_plugins=not args.site_dir)
        # Extensions such as pymdownx.snippets resolve paths from the folder
        # that `mkdocs build` runs in: the project's.
        stack.enter_context(working_dir(os.path.dirname(config_file)))
        files = get_files(project.config) if args.site_dir else build_site(project.config)
        if not any(files.documentation_pages()):
            raise UsageError(f"no Markdown pages in the docs folder {project.config.docs_dir}: "
                             "add one (index.md), or name the project's config with -f")
        plugin_files = functools.partial(files_after_plugins, config_file, site_dir) if args.site_dir else None
        return check(project, Path(site_dir), files, Options(args.external, args.exclude), plugin_files)


@contextlib.contextmanager
def working_dir(path: str):
    """contextlib.chdir, which Python 3.10 lacks."""
    saved = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="check_links.py",
        description=USAGE.split("\n\n")[0],
        epilog=USAGE[USAGE.index("Using it on another MkDocs project"):USAGE.index("The parts, one module each")],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-f", "--config-file", metavar="CONFIG", default="mkdocs.yml",
                        help="the MkDocs config (default: mkdocs.yml)")
    parser.add_argument("--site-dir", metavar="DIR", help="check this existing build instead of building the site")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")
    parser.add_argument("--external", action="store_true", help="also fetch http(s) links")
    parser.add_argument("--exclude", metavar="REGEX", action="append", type=regex, default=[],
                        help="skip links that this regular expression finds in the link as written or in its "
                             "resolved path (repeatable), such as targets another build publishes")
    return parser.parse_args(argv)


def regex(value: str) -> re.Pattern:
    try:
        return re.compile(value)
    except re.error as err:
        raise argparse.ArgumentTypeError(f"not a regular expression: {value!r} ({err})") from None


def print_report(findings: list[Finding], checked: dict, seconds: float, fmt: str) -> None:
    if fmt == "json":
        report = {"findings": [asdict(f) for f in findings], "checked": checked, "seconds": round(seconds, 3)}
        print(json.dumps(report, indent=2))
        return
    for f in findings:
        print(f"{f.file}:{f.line if f.line else '-'}: {f.kind}: {f.target}: {f.message}")
    what = f"{checked['pages']} pages and {checked['links']} links in {seconds:.2f} s"
    print(f"{len(findings)} finding(s) in {what}" if findings else f"no findings: checked {what}")


@contextlib.contextmanager
def stdout_to_stderr():
    """Whatever a config, plugin, hook or Markdown extension prints while the
    site is loaded, built or rendered goes to stderr, so that stdout carries
    only the report (`--format json` always parses). Redirected at the file
    descriptor too, for subprocesses and C code."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no file descriptor 1 (a closed stdout): nothing to protect
        saved = None
    if saved is not None:
        os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)


@contextlib.contextmanager
def warnings_to_stderr():
    """What a step had to give up on (a page it could not render, say) is
    said on stderr, one line each: stdout carries only the report."""
    logger = logging.getLogger("checklinks")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("check_links.py: %(levelname)s: %(message)s"))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def main(argv=None) -> int:
    start = time.perf_counter()
    args = parse_args(argv)  # exits 2 itself on a bad command line
    try:
        with warnings_to_stderr(), stdout_to_stderr():
            findings, checked = run(args)
    except UsageError as err:
        print(f"check_links.py: error: {err}", file=sys.stderr)
        return 2
    print_report(findings, checked, time.perf_counter() - start, args.format)
    return 1 if findings else 0
