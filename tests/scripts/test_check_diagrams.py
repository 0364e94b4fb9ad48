"""scripts/check_diagrams.py parses the diagrams a build lists in diagrams.json and names
each broken one as docs/<file>.md:<line>, the line being mermaid's line in the Markdown file."""

import subprocess
import sys
from pathlib import Path

import pytest

from archnotes.diagram_data import Diagram, write_manifest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_diagrams.py"
MERMAID = ROOT / "docs" / "assets" / "javascripts" / "mermaid"

VALID = "flowchart LR\n  A[Start] --> B[End]"
BROKEN_FLOW = "flowchart LR\n  A[Start] --> B{oops\n  B --> C"
BROKEN_SEQ = "sequenceDiagram\n  Alice->>Bob: hi\n  Bob-->>: missing target"


def diagram(source, number=1, page="guide/", line=10, drawn=False, first_line=None):
    """A record as hooks/diagrams.py writes it: the fence at `line`, its source from the next line."""
    return Diagram(key=f"k{number}", file=f"docs/{page.rstrip('/') or 'index'}.md", line=line, number=number,
                   page=page, edition="web", drawn=drawn, source=source,
                   first_line=line + 1 if first_line is None else first_line)


@pytest.fixture
def site(tmp_path):
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "mermaid").symlink_to(MERMAID)
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    write_manifest(tmp_path, "web", [
        diagram(VALID, 1, page=""),
        diagram(VALID, 1, line=5), diagram(BROKEN_FLOW, 2, line=20), diagram(VALID, 3, line=40),
        diagram(BROKEN_SEQ, 4, line=50),
    ])
    return tmp_path


def run(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def test_reports_every_broken_diagram_at_its_line_in_the_markdown_file(site):
    """Mermaid's "line 4" of a fence on line 20 is line 24 of the file (the source starts on 21)."""
    code, out, _ = run("--site-dir", str(site))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("docs/guide.md:24: diagram 2 of /guide/ does not parse: Parse error on line 4")
    assert lines[1].startswith("docs/guide.md:53: diagram 4 of /guide/ does not parse:")
    assert lines[2].startswith("3 of 5 diagrams on 2 pages parse (0 drawn before the build, parsed then; 5 parsed now); 2 failed")


def test_a_diagram_a_hook_wrote_is_named_at_its_marker(site):
    """The home page's maps come from a marker: mermaid's lines are not the file's."""
    write_manifest(site, "web", [Diagram("k", "docs/index.md", 24, 1, "", "web", False, BROKEN_FLOW)])
    code, out, _ = run("--site-dir", str(site))
    assert code == 1
    assert out.startswith("docs/index.md:24: diagram 1 of / does not parse: Parse error on line 4")


def test_clean_site_passes(site):
    write_manifest(site, "web", [diagram(VALID, 1, page=""), diagram(VALID, 1)])
    code, out, _ = run("--site-dir", str(site))
    assert code == 0
    assert out.startswith("2 of 2 diagrams on 2 pages parse (0 drawn before the build, parsed then; 2 parsed now); 0 failed")


def test_drawn_diagrams_are_parsed_only_with_all(site):
    """A drawing exists only for a diagram that parsed; --all parses it again anyway."""
    write_manifest(site, "web", [diagram(BROKEN_FLOW, 1, drawn=True), diagram(VALID, 2, line=30)])
    code, out, _ = run("--site-dir", str(site))
    assert code == 0
    assert "(1 drawn before the build, parsed then; 1 parsed now)" in out
    code, out, _ = run("--site-dir", str(site), "--all")
    assert code == 1
    assert "docs/guide.md:14: diagram 1 of /guide/ does not parse: Parse error on line 4" in out
    assert "(0 drawn before the build, parsed then; 2 parsed now)" in out


def test_a_folder_that_is_not_a_site_is_a_usage_error(tmp_path):
    code, out, err = run("--site-dir", str(tmp_path / "nowhere"))
    assert code == 2
    assert "is not a built site" in err
    assert "Traceback" not in err


def test_a_site_without_a_manifest_is_a_usage_error(site):
    (site / "diagrams.json").unlink()
    code, _, err = run("--site-dir", str(site))
    assert code == 2
    assert err.strip() == f"check_diagrams: {site} has no diagrams.json (is it a site built with hooks/diagrams.py?)"


def test_missing_config_is_a_usage_error(tmp_path):
    code, _, err = run("-f", str(tmp_path / "mkdocs.yml"))
    assert code == 2
    assert "no config file" in err


def test_vendored_mermaid_matches_its_record():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_mermaid.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
