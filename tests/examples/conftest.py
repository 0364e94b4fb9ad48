"""Fixtures for running the example programs in docs/examples/.

Examples are plain files included into pages with pymdownx.snippets. Their
folders are named after page slugs (with hyphens), so they are loaded by path,
not imported as packages.
"""

import contextlib
import importlib.util
import io
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _path(relpath: str) -> Path:
    path = EXAMPLES / relpath
    if not path.is_file():
        raise FileNotFoundError(f"no example file docs/examples/{relpath}")
    return path


@pytest.fixture
def load_example():
    """load_example("circuit-breaker/breaker.py") -> the module, freshly imported."""

    def load(relpath: str):
        path = _path(relpath)
        name = "example_" + relpath.replace("/", "_").replace("-", "_").removesuffix(".py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickle look modules up here
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def run_example():
    """run_example("circuit-breaker/breaker.py") -> what it prints when run as a script."""

    def run(relpath: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(_path(relpath)), run_name="__main__")
        return out.getvalue()

    return run


@pytest.fixture
def expected_output():
    """expected_output("circuit-breaker/breaker.out") -> the output shown on the page."""

    return lambda relpath: _path(relpath).read_text(encoding="utf-8")
