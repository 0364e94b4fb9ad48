"""scripts/check_diagrams.py finds every broken diagram and names page, number and line."""

import subprocess
import sys

import pytest

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_diagrams.py"
MERMAID = ROOT / "docs" / "assets" / "javascripts" / "mermaid"

VALID = "flowchart LR\n  A[Start] --> B[End]"
BROKEN_FLOW = "flowchart LR\n  A[Start] --> B{oops\n  B --> C"
BROKEN_SEQ = "sequenceDiagram\n  Alice->>Bob: hi\n  Bob-->>: missing target"


def page(*diagrams):
    body = "".join(f'<div class="mermaid">{d}</div>\n' for d in diagrams)
    return f"<!doctype html><html><head><title>t</title></head><body>{body}</body></html>"


@pytest.fixture
def site(tmp_path):
    (tmp_path / "assets" / "javascripts").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "mermaid").symlink_to(MERMAID)
    (tmp_path / "404.html").write_text(page())
    (tmp_path / "index.html").write_text(page(VALID))
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(page(VALID, BROKEN_FLOW, VALID, BROKEN_SEQ))
    return tmp_path


def run(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


def test_reports_every_broken_diagram_with_page_and_line(site):
    code, out, _ = run("--site-dir", str(site))
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith("guide/ (docs/guide.md): diagram 2, line 4: Parse error on line 4")
    assert lines[1].startswith("guide/ (docs/guide.md): diagram 4, line 3:")
    assert lines[2].startswith("3 of 5 diagrams on 2 pages parse (0 drawn before the build, parsed then; 5 parsed now); 2 failed")


def test_raw_tags_inside_a_diagram_are_reported(site):
    """An unescaped `<<interface>>` is a tag to the browser: mermaid never sees it."""
    (site / "guide" / "index.html").write_text(page("classDiagram\n  class Port\n  <<interface>> Port"))
    code, out, _ = run("--site-dir", str(site))
    assert code == 1
    assert "guide/ (docs/guide.md): diagram 1, line ?: raw HTML tag <interface> in the diagram" in out


def test_escaped_source_parses(site):
    (site / "guide" / "index.html").write_text(page("classDiagram\n  class Port\n  &lt;&lt;interface&gt;&gt; Port"))
    code, out, _ = run("--site-dir", str(site))
    assert code == 0, out


def test_clean_site_passes(site):
    (site / "guide" / "index.html").write_text(page(VALID))
    code, out, _ = run("--site-dir", str(site))
    assert code == 0
    assert out.startswith("2 of 2 diagrams on 2 pages parse (0 drawn before the build, parsed then; 2 parsed now); 0 failed")


def test_a_folder_that_is_not_a_site_is_a_usage_error(tmp_path):
    code, out, err = run("--site-dir", str(tmp_path / "nowhere"))
    assert code == 2
    assert "is not a built site" in err
    assert "Traceback" not in err


def test_missing_config_is_a_usage_error(tmp_path):
    code, _, err = run("-f", str(tmp_path / "mkdocs.yml"))
    assert code == 2
    assert "no config file" in err


def test_vendored_mermaid_matches_its_record():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "vendor_mermaid.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def drawn(source):
    """A diagram as hooks/diagrams.py writes one drawn before the build."""
    return f'<div class="diagram" data-diagram="k"><svg></svg><template class="diagram__source">{source}</template></div>\n'


def test_drawn_diagrams_are_parsed_only_with_all(site):
    """A drawing exists only for a diagram that parsed; --all parses it again anyway."""
    body = drawn(BROKEN_FLOW) + drawn("classDiagram\n  class Port\n  <<interface>> Port")
    (site / "guide" / "index.html").write_text(f"<!doctype html><title>t</title>{body}")
    code, out, _ = run("--site-dir", str(site))
    assert code == 1  # raw tags are found without a browser
    assert "diagram 2, line ?: raw HTML tag <interface>" in out
    assert "(2 drawn before the build, parsed then; 1 parsed now)" in out
    code, out, _ = run("--site-dir", str(site), "--all")
    assert code == 1
    assert "guide/ (docs/guide.md): diagram 1, line 4: Parse error on line 4" in out
    assert "(0 drawn before the build, parsed then; 3 parsed now)" in out
