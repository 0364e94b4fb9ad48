"""Loading a MkDocs config, and building the site, as `mkdocs build` does."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import Files

log = logging.getLogger(__name__)


class UsageError(Exception):
    """A problem with the command line, the config or the build: exit 2."""


@contextlib.contextmanager
def quiet_mkdocs():
    """Silence MkDocs' own log (its link warnings are a subset of ours) but keep
    its errors, to report a failing config or build in one line."""
    errors: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.ERROR:
                errors.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler, saved = Keep(), (logger.propagate, logger.level)
    logger.addHandler(handler)
    logger.propagate, logger.level = False, logging.INFO
    try:
        yield errors
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved


@dataclass
class Project:
    config: MkDocsConfig
    redirect_maps: dict  # old page -> new, from the mkdocs-redirects plugin


def load_project(config_file: str, site_dir: str, with_plugins: bool) -> Project:
    """Load and validate the config as `mkdocs build` does. Checking a finished
    build needs its paths and Markdown settings but not its plugins and hooks,
    which are then left out: importing them would double the run time."""
    if not Path(config_file).is_file():
        raise UsageError(f"config file not found: {config_file}")
    overrides = {"site_dir": site_dir}
    if not with_plugins:
        overrides.update(plugins=[], hooks=[])
    with quiet_mkdocs() as logged:
        try:
            config = MkDocsConfig(config_file_path=config_file)
            with open(config_file, "rb") as fd:
                config.load_file(fd)
            redirects = redirect_maps(config.get("plugins"))
            config.load_dict(overrides)
            errors, _ = config.validate()
        except (MkDocsException, yaml.YAMLError, OSError, ImportError) as err:
            raise UsageError(f"{config_file}: {one_line(logged[0] if logged else err)}") from None
    if errors:
        name, error = errors[0]
        raise UsageError(f"{config_file}: config value '{name}': {one_line(error)}")
    return Project(config, redirects)


def files_after_plugins(config_file: str, site_dir: str) -> tuple[Project, Files] | None:
    """The config and docs files as the build's plugins and hooks leave them,
    pages they move or generate included, without building: the events up to
    on_files. For a check of --site-dir that has a finding on a page no docs
    file makes. None, said on stderr, when a plugin fails."""
    from mkdocs.structure.files import get_files

    project = load_project(config_file, site_dir, with_plugins=True)
    config = project.config
    with quiet_mkdocs() as logged:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                config = config.plugins.on_config(config)
                files = config.plugins.on_files(get_files(config), config=config)
            finally:
                config.plugins.on_shutdown()
        except Exception as err:  # any plugin or hook may raise anything: keep the check without them
            reason = logged[-1] if logged else f"{type(err).__name__}: {err}"
            log.warning("cannot run the plugins to find the pages they move or generate: %s", one_line(reason))
            return None
    return Project(config, project.redirect_maps), files


def one_line(message) -> str:
    return " ".join(str(message).split())


def redirect_maps(plugins) -> dict:
    """redirect_maps of the `redirects` plugin in the raw `plugins` setting
    (a list of names and one-key mappings, or a mapping)."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) and p else (p, None) for p in plugins or [])
    for name, options in entries:
        if name == "redirects" and isinstance(options, dict):
            return dict(options.get("redirect_maps") or {})
    return {}


def build_site(config: MkDocsConfig) -> Files:
    """Build with MkDocs' Python API into config.site_dir, as `mkdocs build`
    does, and return the docs files as the plugins left them."""
    from mkdocs.commands.build import build
    from mkdocs.plugins import BasePlugin, event_priority

    class CaptureFiles(BasePlugin):
        files = None

        @event_priority(-1000)  # last, after every plugin has changed them
        def on_files(self, files, config):
            self.files = files
            return files

    config.strict = False  # MkDocs' own warnings must not stop the build
    capture = CaptureFiles()
    config.plugins["check-links-capture-files"] = capture
    with quiet_mkdocs() as logged:
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except Exception as err:  # any plugin or hook may raise anything
            reason = logged[-1] if logged else f"{type(err).__name__}: {err}"
            raise UsageError(f"build failed: {one_line(reason)}") from None
    return capture.files
