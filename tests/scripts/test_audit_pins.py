"""scripts/audit.py: pins that pip-audit could not check are looked up in a
PyPI project JSON, served here by a real local HTTP server."""

import http.server
import json
import threading
from pathlib import Path

import pytest

import audit

ROOT = Path(__file__).resolve().parents[2]

VULN = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fixed_in": ["2.0.1"], "summary": "A flaw.", "withdrawn": None}
PROJECTS = {
    "clean": {"info": {"version": "1.0"}, "vulnerabilities": []},
    "flawed": {"info": {"version": "2.0"}, "vulnerabilities": [VULN]},
    "withdrawn": {"info": {"version": "3.0"}, "vulnerabilities": [{**VULN, "withdrawn": "2099-02-01T00:00:00Z"}]},
    "moved-on": {"info": {"version": "5.0"}, "vulnerabilities": []},
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = self.path.removeprefix("/pypi/").removesuffix("/json")
        body = json.dumps(PROJECTS[name]).encode() if name in PROJECTS else b""
        self.send_response(200 if body else 404)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def index():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_latest_release_without_vulnerabilities_is_checked_and_clean(index, capsys):
    assert audit.audit_latest_releases([("clean", "1.0"), ("withdrawn", "3.0")], index) == 0
    assert "2 of 2 checked, 0 known vulnerabilities" in capsys.readouterr().out


def test_a_vulnerability_is_named_with_its_fix(index, capsys):
    assert audit.audit_latest_releases([("flawed", "2.0")], index) == 1
    out = capsys.readouterr().out
    assert "flawed 2.0: PYSEC-2099-1 (fixed in 2.0.1): A flaw." in out and "1 known vulnerabilities" in out


def test_an_explained_vulnerability_passes(index, capsys, monkeypatch):
    monkeypatch.setitem(audit.KNOWN_VULNERABILITIES, "CVE-2099-0001", "the flawed code is never called")
    assert audit.audit_latest_releases([("flawed", "2.0")], index) == 0
    assert "accepted: the flawed code is never called" in capsys.readouterr().out


def test_an_older_pin_or_an_unknown_project_stays_unchecked(index, capsys):
    assert audit.audit_latest_releases([("moved-on", "4.0"), ("clean", "1.0"), ("nowhere", "1.0")], index) == 1
    out = capsys.readouterr().out
    assert "1 of 3 checked" in out
    assert "moved-on 4.0 (latest: 5.0)" in out and "nowhere 1.0 (latest: unreachable: HTTP Error 404" in out


def test_the_pins_are_read_from_the_requirements_files():
    pins = audit.pinned_versions()
    assert pins["mkdocs"] == "1.6.1" and pins["pymdown-extensions"]
    assert len(pins) >= 50
