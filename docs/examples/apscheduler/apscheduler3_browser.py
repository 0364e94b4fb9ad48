"""apscheduler3_demo.py as a browser can run it: parts 1 to 3, the same code.

Part 4 shows max_instances skipping an overlapping run, which takes a job still
running in a ThreadPoolExecutor's worker thread. Python in the browser (Pyodide,
on WebAssembly) cannot start a thread, so the page's Run button runs this file,
which leaves part 4 out; the tests run all four parts.

    python docs/examples/apscheduler/apscheduler3_browser.py
"""

from __future__ import annotations

from apscheduler3_demo import main

if __name__ == "__main__":
    main(threads=False)
