import importlib.util
import sys
from pathlib import Path

import pytest

from sitebuild import build

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def topics_hook():
    """hooks/topics.py, the one definition of the front-matter schema and tags."""
    return _load("topics_hook", ROOT / "hooks" / "topics.py")


def strict_build(tmp_path_factory, config: str, name: str) -> Path:
    site_dir = tmp_path_factory.mktemp(name)
    build(ROOT / config, site_dir, strict=True)
    return site_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One strict build of the real site for the tests that read built HTML."""
    return strict_build(tmp_path_factory, "mkdocs.yml", "built")


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """One strict build of the offline edition (mkdocs-offline.yml), read as files, as from file://."""
    return strict_build(tmp_path_factory, "mkdocs-offline.yml", "offline")
