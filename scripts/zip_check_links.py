#!/usr/bin/env python3
"""Build the link checker as one file to copy into another project: a zipapp
of the package scripts/checklinks, run as `python check_links.pyz [options]`.

    python scripts/zip_check_links.py [OUT]    (default: dist/check_links.pyz)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipapp
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
DEFAULT_OUT = SCRIPTS.parent / "dist" / "check_links.pyz"


def build(out: Path) -> Path:
    """Write the zipapp: the package's modules (no bytecode caches), and its
    __main__.py at the top as the entry point (zipapp's own `main=` would drop
    the exit status)."""
    package = SCRIPTS / "checklinks"
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "checklinks").mkdir()
        for module in sorted(package.glob("*.py")):
            shutil.copy2(module, Path(tmp) / "checklinks" / module.name)
        shutil.copy2(package / "__main__.py", Path(tmp) / "__main__.py")
        zipapp.create_archive(tmp, out, interpreter="/usr/bin/env python3")
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
