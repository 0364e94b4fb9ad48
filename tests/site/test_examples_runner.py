"""The Run buttons' Python (hooks/examples_runner.py, scripts/fetch_pyodide.py): pinned
like the tests' own libraries, recorded by hash, and a build that stops, naming the
file and line, on an output block with no program beside it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from pages import ROOT

import fetch_pyodide  # scripts/: on pytest's path (pyproject.toml)

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", re.M)


def pins(text: str) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, version in PIN.findall(text)}


def test_browser_libraries_are_the_versions_the_tests_run():
    browser = pins((ROOT / "requirements-browser.txt").read_text(encoding="utf-8"))
    site = pins((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert browser, "requirements-browser.txt pins nothing"
    assert {name: site.get(name) for name in browser} == browser


def test_every_pinned_library_and_every_file_an_import_needs_is_recorded():
    record = json.loads((ROOT / "PYODIDE.json").read_text(encoding="utf-8"))
    files = set(record["files"])
    wheels = {f.split("/")[1].split("-")[0].lower() for f in files if f.startswith("wheels/")}
    browser = pins((ROOT / "requirements-browser.txt").read_text(encoding="utf-8"))
    assert wheels == {name.replace("-", "_") for name in browser}
    assert {f for needed in record["imports"].values() for f in needed} <= files
    assert set(fetch_pyodide.RUNTIME) <= files


def test_the_cache_matches_the_record():
    assert fetch_pyodide.check() == []


CONFIG = f"""
site_name: Fixture
strict: true
docs_dir: docs
hooks:
  - {ROOT / 'hooks' / 'examples_runner.py'}
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [docs]
      check_paths: true
"""
PAGE = """# Thing

```text title="Output"
--8<-- "examples/thing/demo.out"
```
"""


def build(tmp_path):
    (tmp_path / "docs" / "examples" / "thing").mkdir(parents=True, exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    (tmp_path / "docs" / "index.md").write_text(PAGE)
    (tmp_path / "docs" / "examples" / "thing" / "demo.out").write_text("hello\n")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path,
                          capture_output=True, text=True)


def test_an_output_block_with_no_program_beside_it_stops_the_build_at_its_line(tmp_path):
    done = build(tmp_path)
    assert done.returncode != 0
    assert "docs/index.md:4: examples/thing/demo.out has no examples/thing/demo.py beside it to run" in done.stderr


def test_an_output_block_gets_the_run_buttons_and_the_site_the_runtime(tmp_path):
    (tmp_path / "docs" / "examples" / "thing").mkdir(parents=True, exist_ok=True)
    (tmp_path / "docs" / "examples" / "thing" / "demo.py").write_text("print('hello')\n")
    done = build(tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-example="examples/thing/demo.py"' in page
    assert ">Run demo.py</button>" in page
    assert (tmp_path / "site" / "assets" / "pyodide" / "pyodide.asm.wasm").is_file()
    packages = json.loads((tmp_path / "site" / "assets" / "pyodide" / "packages.json").read_text())
    assert "wheels/msgpack-1.2.4.tar.gz" in packages["msgpack"]
