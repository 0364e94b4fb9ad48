"""scripts/diagram_fit.py: bad input gets a clear error. (It measures the built site
in tests/browser/test_diagram_fit.py and in `make bench`.)"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "diagram_fit.py"


def test_a_folder_that_is_not_a_built_site_is_named_and_exits_2(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--site-dir", str(tmp_path / "nowhere")],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == f"diagram_fit: {tmp_path / 'nowhere'} is not a built site (no index.html); run `make build`"
    assert done.stdout == ""
