"""scripts/check_html.py names each HTML error with file and line, and fails only on errors.

The run over the real built site is a line of `make test` (check_html.py --site-dir site).
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "check_html.py"

VALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Valid</title></head>
<body>
<input type="checkbox" id="t">
<label for="t">Toggle</label>
<p>Fine.</p>
</body>
</html>
"""

# Line 5: autocomplete on a checkbox (what Material's base.html emits);
# line 6: an empty tabindex (what Material's nav-item.html emits).
INVALID = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Invalid</title></head>
<body>
<input type="checkbox" id="t" autocomplete="off">
<label for="t" tabindex="">Toggle</label>
</body>
</html>
"""

# A warning only: the obsolete <a name>, as Pygments writes for line anchors.
WARNING_ONLY = VALID.replace("<p>Fine.</p>", '<p><a href="#l1" id="l1" name="l1"></a>Fine.</p>')


def run(*args):
    done = subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text(VALID)
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text(INVALID)
    (tmp_path / "style.css").write_text("not html {")
    return tmp_path


def test_reports_each_error_with_file_and_line(site):
    rc, out, err = run("--site-dir", str(site))
    assert rc == 1, out + err
    bad = str(site / "guide" / "index.html")
    errors = [line for line in out.splitlines() if line.startswith(bad + ":")]
    assert any(line.startswith(f"{bad}:5: ") and "autocomplete" in line for line in errors), out
    assert any(line.startswith(f"{bad}:6: ") and "tabindex" in line for line in errors), out
    assert not any(line.startswith(str(site / "index.html")) for line in out.splitlines()), out
    assert "2 files, 2 errors" in out


def test_valid_site_passes_and_warnings_do_not_fail(tmp_path):
    (tmp_path / "index.html").write_text(VALID)
    (tmp_path / "old.html").write_text(WARNING_ONLY)
    rc, out, err = run("--site-dir", str(tmp_path))
    assert rc == 0, out + err
    assert f"{tmp_path / 'old.html'}:7: warning: " in out
    assert "0 errors, 1 warnings" in out


@pytest.mark.parametrize("args", [[], ["--site-dir", "/no/such/folder"], ["--site-dir", "{empty}"]])
def test_usage_errors_exit_2(tmp_path, args):
    rc, out, err = run(*[a.replace("{empty}", str(tmp_path)) for a in args])
    assert rc == 2, out + err
