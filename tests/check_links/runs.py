"""Running the link checker in a test, and writing small projects to check."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from checklinks import cli  # scripts/checklinks: pyproject.toml puts scripts/ on pytest's path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCRIPT = ROOT / "scripts" / "check_links.py"


def check(*args: str) -> tuple[int, dict]:
    """Run the checker in this process; (exit code, JSON report)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main([*args, "--format", "json"])
    return code, json.loads(out.getvalue())


def found(report: dict) -> set[tuple]:
    return {(f["file"], f["line"], f["kind"], f["target"]) for f in report["findings"]}


def message(report: dict, file: str, line: int | None) -> str:
    return next(f["message"] for f in report["findings"] if (f["file"], f["line"]) == (file, line))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def project(root: Path, config: str, pages: dict[str, str]) -> Path:
    """A MkDocs project: mkdocs.yml (site_name added) and docs/<path> per page; its config path."""
    for path, text in pages.items():
        write(root / "docs" / path, text)
    return write(root / "mkdocs.yml", "site_name: Fixture\n" + config)
