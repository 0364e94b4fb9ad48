"""scripts/build_pdf.py: bad input gets a clear error and loses nothing.
(The PDF itself is made and read in tests/browser/test_editions.py.)"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_pdf.py"
sys.path.insert(0, str(ROOT / "scripts"))

import build_pdf  # noqa: E402


def test_a_folder_that_is_not_a_built_site_is_named_and_exits_2(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--site-dir", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{tmp_path / 'nowhere'} is not a built site" in done.stderr and "make build" in done.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_build_reports_mkdocs_own_message_and_keeps_the_last_pdf(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>t</title>")
    (site / build_pdf.PDF).write_bytes(b"%PDF-1.7 the last good one")
    missing = tmp_path / "mkdocs-pdf.yml"  # a real mkdocs run, with a real error
    monkeypatch.setattr(build_pdf, "CONFIG", missing)
    with pytest.raises(build_pdf.PdfError, match="building mkdocs-pdf.yml failed") as failure:
        build_pdf.make_pdf(site)
    assert str(missing) in str(failure.value)
    assert (site / build_pdf.PDF).read_bytes() == b"%PDF-1.7 the last good one"
    assert sorted(p.name for p in site.iterdir()) == [build_pdf.PDF, "index.html"]
