"""sqlalchemy_internals.py as a browser can run it: everything but scoped_session.

scoped_session keeps one Session per thread, and the demonstration starts a
second thread to show it. Python in the browser (Pyodide, on WebAssembly)
cannot start a thread, so the page's Run button runs this file, which leaves
that one line out; the tests run all of it.

    python docs/examples/sqlalchemy/sqlalchemy_internals_browser.py
"""

from __future__ import annotations

from sqlalchemy_internals import main

if __name__ == "__main__":
    main(threads=False)
