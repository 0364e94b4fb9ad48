"""scripts/build_pdf.py: bad input gets a clear error and loses nothing.
(The PDF itself is made and read in tests/browser/test_editions.py.)"""

import subprocess
import sys
from pathlib import Path

import pytest

import build_pdf

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_pdf.py"


PRINT_PAGE = ('<p>drawn: <span class="pdf-edition" data-href="../architecture-notes.pdf">not made for this build '
              '(<code>make pdf</code> makes it)</span>. Its pages</p>')


def built_site(tmp_path: Path) -> Path:
    """The files of a built site that build_pdf.py reads."""
    site = tmp_path / "site"
    (site / "print").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>t</title>")
    (site / "print" / "index.html").write_text(PRINT_PAGE)
    return site


def test_a_folder_that_is_not_a_built_site_is_named_and_exits_2(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--site-dir", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{tmp_path / 'nowhere'} is not a built site" in done.stderr and "make build" in done.stderr
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_build_reports_mkdocs_own_message_and_keeps_the_last_pdf(tmp_path, monkeypatch):
    site = built_site(tmp_path)
    (site / build_pdf.PDF).write_bytes(b"%PDF-1.7 the last good one")
    missing = tmp_path / "mkdocs-pdf.yml"  # a real mkdocs run, with a real error
    monkeypatch.setattr(build_pdf, "CONFIG", missing)
    with pytest.raises(build_pdf.PdfError, match="building mkdocs-pdf.yml failed") as failure:
        build_pdf.make_pdf(site)
    assert str(missing) in str(failure.value)
    assert (site / build_pdf.PDF).read_bytes() == b"%PDF-1.7 the last good one"
    assert sorted(p.name for p in site.iterdir()) == [build_pdf.PDF, "index.html", "print"]


def test_a_print_page_without_the_place_for_the_facts_is_named_before_any_work(tmp_path):
    site = built_site(tmp_path)
    (site / "print" / "index.html").write_text("<p>no span</p>")
    done = subprocess.run([sys.executable, str(SCRIPT), "--site-dir", str(site)], capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{site / 'print' / 'index.html'} has no <span class=\"pdf-edition\">" in done.stderr
    assert not (site / build_pdf.PDF).exists()


def test_the_link_is_written_with_size_and_pages_and_again_on_a_second_run(tmp_path):
    """Before `make pdf`, /print/ has no link to a missing file; after it, the link and what it costs."""
    from pypdf import PdfWriter

    site = built_site(tmp_path)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    pdf = site / build_pdf.PDF
    writer.write(pdf)
    page = build_pdf.print_page(site)
    for _ in range(2):
        build_pdf.label_link(page, pdf)
    size = f"{pdf.stat().st_size / 1e6:.1f}"
    assert page.read_text() == ('<p>drawn: <span class="pdf-edition" data-href="../architecture-notes.pdf"><strong>'
                                '<a href="../architecture-notes.pdf">architecture-notes.pdf</a></strong> '
                                f'(PDF, {size} MB, 3 pages)</span>. Its pages</p>')
